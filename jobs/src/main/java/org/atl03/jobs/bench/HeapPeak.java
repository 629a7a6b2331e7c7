package org.atl03.jobs.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * How much heap a stretch of work used, from the garbage collector's own accounts: at every collection the heap in
 * use just before it (the heap is fullest then: the peak, garbage included) and just after it (what the work still
 * held: its live data). The largest of each over the stretch, and the heap at its end, are reported.
 */
public final class HeapPeak implements AutoCloseable {

  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final NotificationListener listener = this::collected;
  private long peakBytes;
  private long liveBytes;
  private int collections;

  private HeapPeak() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  /** Starts watching the collections from now on. */
  public static HeapPeak watch() {
    return new HeapPeak();
  }

  private synchronized void collected(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    peakBytes = Math.max(peakBytes, used(info.getGcInfo().getMemoryUsageBeforeGc()));
    liveBytes = Math.max(liveBytes, used(info.getGcInfo().getMemoryUsageAfterGc()));
    collections++;
  }

  /** The heap's part of a collection's accounts (they list the non-heap pools too: code cache, metaspace). */
  private long used(Map<String, MemoryUsage> pools) {
    return pools.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
        .mapToLong(e -> e.getValue().getUsed()).sum();
  }

  /** The most heap in use at any collection, or now if that is more (garbage included). */
  public synchronized long peakBytes() {
    return Math.max(peakBytes, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
  }

  /** The most heap still in use right after a collection: the live data the work held at most (0: none ran). */
  public synchronized long liveBytes() {
    return liveBytes;
  }

  /** Collections seen (a notification may lag its collection by a moment). */
  public synchronized int collections() {
    return collections;
  }

  /** The JVM's maximum heap (-Xmx). */
  public static long maxHeapBytes() {
    return Runtime.getRuntime().maxMemory();
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // never added to this one
      }
    }
  }
}
