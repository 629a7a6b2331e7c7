package org.atl03.datasource.delta;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.atl03.datasource.io.InputFile;

/**
 * A Parquet file read through the byte seam, for a planner on one machine: the footer in one request (its tail is
 * fetched in one piece), each row group's statistics, and chosen top-level columns of chosen row groups as
 * {@link TableRow}s. No page index and no record filter is read or applied: which row groups to read is the
 * caller's choice, from {@link #statistics}. Not thread-safe: one reader per thread.
 */
public final class ParquetDataFile implements Closeable {

  private static final long JULIAN_DAY_OF_UNIX_EPOCH = 2_440_588;

  private final SeamInput input;
  private final ParquetFileReader reader;
  private final MessageType schema;

  private ParquetDataFile(SeamInput input, ParquetFileReader reader) {
    this.input = input;
    this.reader = reader;
    this.schema = reader.getFooter().getFileMetaData().getSchema();
  }

  /** Opens {@code file}, reading its last {@code tailBytes} (or all of it) at once: the footer is usually inside. */
  public static ParquetDataFile open(InputFile file, int tailBytes) throws IOException {
    SeamInput input = new SeamInput(file, tailBytes);
    ParquetReadOptions options = ParquetReadOptions.builder().useStatsFilter(false).useDictionaryFilter(false)
        .useRecordFilter(false).useColumnIndexFilter(false).useBloomFilter(false).build();
    try {
      return new ParquetDataFile(input, new ParquetFileReader(input, options));
    } catch (IOException | RuntimeException e) {
      throw new IOException(file.location() + " is not a readable Parquet file: " + e.getMessage(), e);
    }
  }

  public String location() {
    return input.file.location();
  }

  public int rowGroups() {
    return reader.getRowGroups().size();
  }

  public long rows(int rowGroup) {
    return reader.getRowGroups().get(rowGroup).getRowCount();
  }

  /** The file's top-level column names. */
  public Set<String> columns() {
    Set<String> names = new LinkedHashSet<>();
    schema.getFields().forEach(f -> names.add(f.getName()));
    return names;
  }

  /** Requests made to the file so far, and bytes they fetched. */
  public long requests() {
    return input.requests.get();
  }

  public long bytesRead() {
    return input.bytes.get();
  }

  /** A row group's statistics of its top-level primitive columns (others unknown). */
  public ColumnStatistics statistics(int rowGroup) {
    Map<String, ColumnStatistics.Stat> byColumn = new HashMap<>();
    for (ColumnChunkMetaData c : reader.getRowGroups().get(rowGroup).getColumns()) {
      String[] path = c.getPath().toArray();
      if (path.length == 1) {
        byColumn.put(path[0], stat(c, schema.getType(path[0]).asPrimitiveType()));
      }
    }
    return column -> byColumn.getOrDefault(column, ColumnStatistics.Stat.UNKNOWN);
  }

  private static ColumnStatistics.Stat stat(ColumnChunkMetaData c, PrimitiveType type) {
    Statistics<?> s = c.getStatistics();
    if (s == null) {
      return ColumnStatistics.Stat.UNKNOWN;
    }
    long nulls = s.isNumNullsSet() ? s.getNumNulls() : -1;
    if (!s.hasNonNullValue()) {
      return new ColumnStatistics.Stat(null, null, nulls, c.getValueCount(), 0);
    }
    return new ColumnStatistics.Stat(comparable(s.genericGetMin(), type), comparable(s.genericGetMax(), type), nulls,
        c.getValueCount(), 0);
  }

  /** A statistic as {@link TableRow#value} gives values, or null for a type nothing compares on. */
  private static Object comparable(Object v, PrimitiveType type) {
    if (v instanceof Binary b) {
      return isString(type) ? b.toStringUsingUTF8() : null;
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    return v instanceof Integer || v instanceof Long || v instanceof Double || v instanceof Boolean ? v : null;
  }

  private static boolean isString(PrimitiveType type) {
    return type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
        && type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation;
  }

  /** The rows of a row group, with only {@code columns} (those the file has; the others read as absent). */
  public List<TableRow> read(int rowGroup, Collection<String> columns) throws IOException {
    List<Type> fields = new ArrayList<>();
    for (Type f : schema.getFields()) {
      if (columns.contains(f.getName())) {
        fields.add(f);
      }
    }
    MessageType projection = new MessageType(schema.getName(), fields);
    reader.setRequestedSchema(projection);
    PageReadStore pages;
    try {
      pages = reader.readRowGroup(rowGroup);
    } catch (IOException | RuntimeException e) {
      throw new IOException(location() + ": row group " + rowGroup + " is not readable: " + e.getMessage(), e);
    }
    RecordReader<Group> records = new ColumnIOFactory().getColumnIO(projection, schema)
        .getRecordReader(pages, new GroupRecordConverter(projection));
    List<TableRow> rows = new ArrayList<>(Math.toIntExact(pages.getRowCount()));
    for (long i = 0; i < pages.getRowCount(); i++) {
      rows.add(new GroupRow(records.read()));
    }
    return rows;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /** A Parquet record as a {@link TableRow}: Spark's layouts of arrays (three-level lists) and timestamps. */
  private static final class GroupRow implements TableRow {
    private final Group group;

    GroupRow(Group group) {
      this.group = group;
    }

    @Override
    public boolean has(String field) {
      return group.getType().containsField(field);
    }

    @Override
    public boolean isNull(String field) {
      if (!has(field)) {
        throw new IllegalArgumentException("field " + field + " was not read (read: " + group.getType().getFields()
            .stream().map(Type::getName).toList() + ")");
      }
      return group.getFieldRepetitionCount(field) == 0;
    }

    private Group present(String field) {
      if (isNull(field)) {
        throw new IllegalStateException("field " + field + " is null");
      }
      return group;
    }

    @Override
    public Object value(String field) {
      return isNull(field) ? null : valueOf(group, group.getType().getFieldIndex(field), 0);
    }

    @Override
    public String string(String field) {
      return present(field).getString(field, 0);
    }

    @Override
    public int intValue(String field) {
      return present(field).getInteger(field, 0);
    }

    @Override
    public long longValue(String field) {
      return present(field).getLong(field, 0);
    }

    @Override
    public double doubleValue(String field) {
      return present(field).getDouble(field, 0);
    }

    @Override
    public boolean booleanValue(String field) {
      return present(field).getBoolean(field, 0);
    }

    @Override
    public byte[] bytes(String field) {
      return present(field).getBinary(field, 0).getBytes();
    }

    @Override
    public long timestampMillis(String field) {
      return timestamp(present(field), group.getType().getFieldIndex(field), 0);
    }

    @Override
    public TableRow row(String field) {
      return new GroupRow(present(field).getGroup(field, 0));
    }

    @Override
    public List<TableRow> rows(String field) {
      List<TableRow> rows = new ArrayList<>();
      for (Object element : elements(field)) {
        rows.add(new GroupRow((Group) element));
      }
      return rows;
    }

    @Override
    public List<Object> values(String field) {
      return elements(field);
    }

    /** The elements of a list: standard three-level lists, and the legacy two-level form. */
    private List<Object> elements(String field) {
      Group list = present(field).getGroup(field, 0);
      List<Object> out = new ArrayList<>();
      GroupType listType = list.getType();
      Type repeated = listType.getType(0);
      for (int i = 0; i < list.getFieldRepetitionCount(0); i++) {
        if (repeated.isPrimitive()) {
          out.add(valueOf(list, 0, i));
          continue;
        }
        Group entry = list.getGroup(0, i);
        GroupType entryType = entry.getType();
        boolean wrapped = entryType.getFieldCount() == 1
            && (entryType.getName().equals("list") || entryType.getName().endsWith("_tuple")
            || entryType.getName().equals("bag"));
        if (!wrapped) {
          out.add(entry);
        } else if (entry.getFieldRepetitionCount(0) == 0) {
          out.add(null);
        } else if (entryType.getType(0).isPrimitive()) {
          out.add(valueOf(entry, 0, 0));
        } else {
          out.add(entry.getGroup(0, 0));
        }
      }
      return out;
    }

    private static Object valueOf(Group g, int index, int i) {
      PrimitiveType type = g.getType().getType(index).asPrimitiveType();
      return switch (type.getPrimitiveTypeName()) {
        case BINARY -> isString(type) ? g.getString(index, i) : g.getBinary(index, i).getBytes();
        case INT32 -> g.getInteger(index, i);
        case INT64 -> type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
            ? timestamp(g, index, i) : g.getLong(index, i);
        case DOUBLE -> g.getDouble(index, i);
        case FLOAT -> (double) g.getFloat(index, i);
        case BOOLEAN -> g.getBoolean(index, i);
        case INT96 -> timestamp(g, index, i);
        case FIXED_LEN_BYTE_ARRAY -> g.getBinary(index, i).getBytes();
      };
    }

    private static long timestamp(Group g, int index, int i) {
      PrimitiveType type = g.getType().getType(index).asPrimitiveType();
      if (type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
        ByteBuffer b = g.getInt96(index, i).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = b.getLong();
        long julianDay = b.getInt();
        return (julianDay - JULIAN_DAY_OF_UNIX_EPOCH) * 86_400_000L + Math.floorDiv(nanosOfDay, 1_000_000L);
      }
      long v = g.getLong(index, i);
      if (type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t) {
        return switch (t.getUnit()) {
          case MILLIS -> v;
          case MICROS -> Math.floorDiv(v, 1000L);
          case NANOS -> Math.floorDiv(v, 1_000_000L);
        };
      }
      throw new IllegalStateException(type + " is not a timestamp");
    }
  }

  /** Parquet's view of a file on the byte seam: positional reads, the tail read once and kept. */
  private static final class SeamInput implements org.apache.parquet.io.InputFile {
    private final InputFile file;
    private final int tailBytes;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private byte[] tail;
    private long tailStart;

    SeamInput(InputFile file, int tailBytes) {
      this.file = file;
      this.tailBytes = tailBytes;
    }

    @Override
    public long getLength() {
      return file.length();
    }

    void readFully(long position, byte[] buf, int off, int len) throws IOException {
      if (position + len > file.length()) {
        throw new EOFException(file.location() + ": read of " + len + " bytes at " + position + " past the end");
      }
      if (tail == null && position + len > file.length() - tailBytes) {
        tailStart = Math.max(0, file.length() - tailBytes);
        tail = new byte[Math.toIntExact(file.length() - tailStart)];
        fetch(tailStart, tail, 0, tail.length);
      }
      if (tail != null && position >= tailStart) {
        System.arraycopy(tail, (int) (position - tailStart), buf, off, len);
        return;
      }
      fetch(position, buf, off, len);
    }

    private void fetch(long position, byte[] buf, int off, int len) throws IOException {
      requests.incrementAndGet();
      bytes.addAndGet(len);
      file.readFully(position, buf, off, len);
    }

    @Override
    public SeekableInputStream newStream() {
      return new SeekableInputStream() {
        private long pos;

        @Override
        public long getPos() {
          return pos;
        }

        @Override
        public void seek(long newPos) {
          pos = newPos;
        }

        @Override
        public int read() throws IOException {
          if (pos >= file.length()) {
            return -1;
          }
          byte[] one = new byte[1];
          readFully(one, 0, 1);
          return one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = (int) Math.min(len, file.length() - pos);
          if (n <= 0) {
            return len == 0 ? 0 : -1;
          }
          readFully(b, off, n);
          return n;
        }

        @Override
        public void readFully(byte[] b) throws IOException {
          readFully(b, 0, b.length);
        }

        @Override
        public void readFully(byte[] b, int off, int len) throws IOException {
          SeamInput.this.readFully(pos, b, off, len);
          pos += len;
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
          int n = (int) Math.min(buf.remaining(), file.length() - pos);
          if (n <= 0) {
            return buf.hasRemaining() ? -1 : 0;
          }
          byte[] b = new byte[n];
          readFully(b, 0, n);
          buf.put(b);
          return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
          if (buf.hasArray()) {
            int n = buf.remaining();
            readFully(buf.array(), buf.arrayOffset() + buf.position(), n);
            buf.position(buf.position() + n);
          } else {
            byte[] b = new byte[buf.remaining()];
            readFully(b, 0, b.length);
            buf.put(b);
          }
        }
      };
    }
  }
}
