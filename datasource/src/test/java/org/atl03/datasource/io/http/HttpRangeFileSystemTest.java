package org.atl03.datasource.io.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.InputFiles;
import org.atl03.datasource.io.http.HttpRangeFileSystem;
import org.atl03.testing.services.HttpFileServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our http(s): FileSystem against nginx on loopback: range reads, sizes, errors, redirects, the bearer token. */
class HttpRangeFileSystemTest {

  private static final String TOKEN = "test-token-5f2a9c1e7b"; // a fake Earthdata token

  @TempDir
  static Path tmp;
  static byte[] content;
  static HttpFileServer open;
  static HttpFileServer guarded;

  @BeforeAll
  static void start() throws Exception {
    content = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(content);
    Files.createDirectories(tmp.resolve("www/dir"));
    Files.write(tmp.resolve("www/dir/data.bin"), content);
    open = HttpFileServer.start(tmp.resolve("www"), tmp.resolve("open"));
    guarded = HttpFileServer.start(tmp.resolve("www"), tmp.resolve("guarded"), TOKEN);
  }

  @AfterAll
  static void stop() {
    if (open != null) {
      open.close();
    }
    if (guarded != null) {
      guarded.close();
    }
  }

  private static Configuration conf(HttpFileServer server) {
    Configuration conf = new Configuration();
    conf.set(HadoopSettings.HTTP_TRUST_STORE, server.trustStore().toString());
    conf.set(HadoopSettings.HTTP_TRUST_STORE_PASSWORD, HttpFileServer.TRUST_STORE_PASSWORD);
    conf.setBoolean("fs.https.impl.disable.cache", true); // each test sees its own settings
    conf.setBoolean("fs.http.impl.disable.cache", true);
    return conf;
  }

  @Test
  void httpsUrlsResolveToTheRangeFileSystemByDefault() throws Exception {
    InputFile.class.getName();
    HadoopInputFile.class.getName(); // installs the defaults
    FileSystem fs = new org.apache.hadoop.fs.Path(open.httpsUrl("dir/data.bin")).getFileSystem(conf(open));
    assertThat(fs).isInstanceOf(HttpRangeFileSystem.class);
  }

  @Test
  void positionalReadsReturnTheFileBytesOneRangeRequestEach() throws Exception {
    open.clearLog();
    try (InputFile file = HadoopInputFile.open(new org.apache.hadoop.fs.Path(open.httpsUrl("dir/data.bin")),
        conf(open))) {
      assertThat(file.length()).isEqualTo(content.length);
      long[][] reads = {{0, 100}, {content.length - 5000, 5000}, {1_000_003, 1_500_000}, {content.length - 1, 1}};
      for (long[] r : reads) {
        byte[] got = file.readFully(r[0], (int) r[1]);
        assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(content, (int) r[0], (int) (r[0] + r[1])));
      }
      assertThatThrownBy(() -> file.readFully(content.length - 10, 11)).isInstanceOf(java.io.EOFException.class);
    }
    List<HttpFileServer.Request> requests = open.requests();
    List<HttpFileServer.Request> gets = requests.stream().filter(r -> r.method().equals("GET")).toList();
    assertThat(gets).hasSize(4).allSatisfy(r -> assertThat(r.status()).isEqualTo(206));
    assertThat(gets.stream().mapToLong(HttpFileServer.Request::bytes).sum()).isEqualTo(100 + 5000 + 1_500_000 + 1);
    assertThat(requests.stream().filter(r -> r.method().equals("HEAD")).count()).isEqualTo(1); // the size
  }

  @Test
  void plainHttpAndGlobsWithoutWildcardsWork() throws Exception {
    List<String> files = InputFiles.expand(conf(open), List.of(open.httpUrl("dir/data.bin")), List.of(".bin"));
    assertThat(files).containsExactly(open.httpUrl("dir/data.bin"));
    try (InputFile file = HadoopInputFile.open(new org.apache.hadoop.fs.Path(files.get(0)), conf(open))) {
      assertThat(file.readFully(10, 10)).isEqualTo(java.util.Arrays.copyOfRange(content, 10, 20));
    }
  }

  @Test
  void aMissingFileIsAnErrorNamingTheUrl() {
    String url = open.httpsUrl("dir/missing.h5");
    assertThatThrownBy(() -> HadoopInputFile.open(new org.apache.hadoop.fs.Path(url), conf(open)))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(url)
        .hasMessageContaining("404");
  }

  @Test
  void withoutTheTokenAccessIsDeniedNamingTheUrlAndHowToConfigureIt() {
    String url = guarded.httpsUrl("dir/data.bin");
    assertThatThrownBy(() -> HadoopInputFile.open(new org.apache.hadoop.fs.Path(url), conf(guarded)))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining(url)
        .hasMessageContaining("401")
        .hasMessageContaining(HadoopSettings.EARTHDATA_TOKEN);
  }

  @Test
  void theTokenIsSentToTheHostAskedAndFollowsSameHostRedirects() throws Exception {
    Configuration conf = conf(guarded);
    conf.set(HadoopSettings.EARTHDATA_TOKEN, TOKEN);
    try (InputFile file = HadoopInputFile.open(new org.apache.hadoop.fs.Path(guarded.httpsUrl("moved/dir/data.bin")),
        conf)) {
      assertThat(file.length()).isEqualTo(content.length);
      assertThat(file.readFully(1234, 4321)).isEqualTo(java.util.Arrays.copyOfRange(content, 1234, 1234 + 4321));
    }
  }

  @Test
  void theTokenDoesNotFollowARedirectToAnotherHostUnlessListed() throws Exception {
    String url = guarded.httpsUrl("elsewhere/dir/data.bin"); // redirects to https://localhost:<port>/dir/data.bin
    Configuration conf = conf(guarded);
    conf.set(HadoopSettings.EARTHDATA_TOKEN, TOKEN);
    Throwable denied = org.assertj.core.api.Assertions.catchThrowable(
        () -> HadoopInputFile.open(new org.apache.hadoop.fs.Path(url), conf));
    assertThat(denied).isInstanceOf(AccessDeniedException.class).hasMessageContaining(url);
    assertThat(stackText(denied)).doesNotContain(TOKEN);

    conf.set(HadoopSettings.HTTP_TOKEN_HOSTS, "localhost");
    try (InputFile file = HadoopInputFile.open(new org.apache.hadoop.fs.Path(url), conf)) {
      assertThat(file.readFully(0, 64)).isEqualTo(java.util.Arrays.copyOf(content, 64));
    }
  }

  @Test
  void aServerThatRefusesHeadStillGivesTheSizeThroughARangedGet() throws Exception {
    open.clearLog();
    try (InputFile file = HadoopInputFile.open(
        new org.apache.hadoop.fs.Path(open.httpsUrl("get-only/dir/data.bin")), conf(open))) {
      assertThat(file.length()).isEqualTo(content.length);
      assertThat(file.readFully(77, 7)).isEqualTo(java.util.Arrays.copyOfRange(content, 77, 84));
    }
    assertThat(open.requests()).extracting(HttpFileServer.Request::method, HttpFileServer.Request::status)
        .startsWith(org.assertj.core.groups.Tuple.tuple("HEAD", 403), org.assertj.core.groups.Tuple.tuple("GET", 206));
  }

  @Test
  void theFileSystemIsReadOnly() throws Exception {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(open.httpsUrl("dir/new.bin"));
    FileSystem fs = path.getFileSystem(conf(open));
    assertThatThrownBy(() -> fs.create(path)).hasMessageContaining("read-only").hasMessageContaining("new.bin");
  }

  static String stackText(Throwable t) {
    java.io.StringWriter out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
