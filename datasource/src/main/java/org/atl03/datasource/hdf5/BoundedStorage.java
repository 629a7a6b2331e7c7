package org.atl03.datasource.hdf5;

import io.jhdf.Superblock;
import io.jhdf.exceptions.HdfException;
import io.jhdf.storage.HdfFileChannel;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * jhdf's channel storage with every read checked against the file's length before its buffer is allocated. jhdf
 * allocates a buffer of whatever size a (possibly corrupt) header, heap or B-tree node states and only then finds
 * the file too short; here such a read fails first, so no metadata read can allocate more than the file holds.
 */
final class BoundedStorage extends HdfFileChannel {

  private final String location;
  private final long fileLength;
  private final long base;

  BoundedStorage(FileChannel channel, Superblock superblock, String location, long fileLength) {
    super(channel, superblock);
    this.location = location;
    this.fileLength = fileLength;
    this.base = superblock.getBaseAddressByte();
  }

  @Override
  public ByteBuffer readBufferFromAddress(long address, int length) {
    check(address + base, length);
    return super.readBufferFromAddress(address, length);
  }

  @Override
  public ByteBuffer map(long address, long length) {
    check(address + base, length);
    return super.map(address, length);
  }

  @Override
  public ByteBuffer mapNoOffset(long address, long length) {
    check(address, length);
    return super.mapNoOffset(address, length);
  }

  @Override
  public ByteBuffer mapNoOffset(long address, long length, FileChannel.MapMode mode) {
    check(address, length);
    return super.mapNoOffset(address, length, mode);
  }

  private void check(long rawAddress, long length) {
    if (rawAddress < 0 || length < 0 || rawAddress > fileLength || length > fileLength - rawAddress) {
      throw new HdfException(location + ": metadata read of " + length + " bytes at address " + rawAddress
          + " lies outside the file (" + fileLength + " bytes): the file is truncated or corrupt");
    }
  }
}
