package org.atl03.jobs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * The most heap a stretch of work used: the heap pools' peaks are reset before it and summed after it. Pools peak at
 * different moments, so the sum is an upper bound of the heap in use at any one time (garbage not yet collected
 * included); with the JVM's maximum heap beside it, it says how close a run came to running out.
 */
public final class HeapPeak {

  private HeapPeak() {}

  /** Forgets the peaks so far: the next {@link #bytes()} covers what runs from now. */
  public static void reset() {
    heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** The sum of the heap pools' peak usage since the last {@link #reset()}. */
  public static long bytes() {
    return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  /** The JVM's maximum heap (-Xmx). */
  public static long maxHeapBytes() {
    return Runtime.getRuntime().maxMemory();
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
  }
}
