package org.atl03.jobs.bench.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every reader of the matrix (its rows), by name, in the report's order. */
final class BenchReaders {

  private BenchReaders() {}

  static Map<String, BenchReader> all() {
    List<BenchReader> readers = new ArrayList<>();
    readers.add(new JhdfReader());
    readers.add(SparkReader.atl03());
    readers.add(SparkReader.sedona());
    readers.add(SparkReader.delta());
    readers.add(SparkReader.flatgeobuf());
    readers.addAll(PythonPeer.all());
    readers.addAll(UnavailablePeer.all());
    Map<String, BenchReader> byName = new LinkedHashMap<>();
    readers.forEach(r -> byName.put(r.name(), r));
    return byName;
  }

  static void require(Map<String, BenchReader> readers, String name) {
    if (!readers.containsKey(name)) {
      throw new IllegalArgumentException("unknown reader " + name + "; known: " + readers.keySet());
    }
  }
}
