package org.atl03.datasource.hdf5;

import java.util.Arrays;

/** One filter of a dataset's pipeline, in pipeline (write) order: HDF5 filter id, name, client data values. */
public record FilterSpec(int id, String name, int[] clientData) implements java.io.Serializable {

  public static final int DEFLATE = 1;
  public static final int SHUFFLE = 2;

  public FilterSpec {
    clientData = clientData == null ? new int[0] : clientData.clone();
  }

  @Override
  public int[] clientData() {
    return clientData.clone();
  }

  /** The deflate level for {@link #DEFLATE}, -1 if it is not recorded. */
  public int deflateLevel() {
    return id == DEFLATE && clientData.length > 0 ? clientData[0] : -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FilterSpec f && f.id == id && f.name.equals(name) && Arrays.equals(f.clientData, clientData);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * id + name.hashCode()) + Arrays.hashCode(clientData);
  }

  @Override
  public String toString() {
    return name + "(id " + id + (clientData.length > 0 ? ", " + Arrays.toString(clientData) : "") + ")";
  }
}
