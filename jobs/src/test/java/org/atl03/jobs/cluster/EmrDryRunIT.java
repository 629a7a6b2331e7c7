package org.atl03.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * emr/cluster.sh --dry-run: the commands it prints, the JSON it renders for them, and its refusals. Needs the
 * packaged spark-submit jar, hence an IT (failsafe, after package).
 */
class EmrDryRunIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path state;

  private Script.Result dryRun(Map<String, String> env, String... commands) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.put("ATL03_EMR_STATE", state.toString());
    List<String> command = new ArrayList<>(List.of("bash", "emr/cluster.sh", "--dry-run"));
    command.addAll(List.of(commands));
    return Script.run(Duration.ofMinutes(5), all, state.resolve("logs-" + System.nanoTime()),
        command.toArray(new String[0]));
  }

  private static List<String> awsLines(String stdout) {
    return stdout.lines().filter(l -> l.startsWith("aws ")).toList();
  }

  private static String line(List<String> lines, String prefix) {
    List<String> found = lines.stream().filter(l -> l.startsWith(prefix)).toList();
    assertThat(found).as("exactly one line starting %s in %s", prefix, lines).hasSize(1);
    return found.get(0);
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("/%s/ in %s", regex, text).isTrue();
    return m.group(1);
  }

  @Test
  void allPrintsTheCommandsInOrderWithConsistentFilesAndJson() throws Exception {
    // the aws CLI's own parse of each command runs too when the machine has one
    Script.Result r = dryRun(Map.of(), "all");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    List<String> aws = awsLines(r.stdout());
    assertThat(aws).extracting(l -> String.join(" ", List.of(l.split(" ")).subList(0, 3))).containsExactly(
        "aws s3 cp", "aws s3 cp", "aws s3 cp", "aws emr create-cluster", "aws emr wait", "aws emr add-steps",
        "aws emr wait", "aws emr wait", "aws emr wait", "aws s3 cp", "aws s3 cp", "aws emr terminate-clusters",
        "aws emr wait");

    String upload = aws.get(0);
    Path jar = Script.root().resolve("jobs/target/atl03-jobs-spark-submit.jar");
    String jarOnS3 = group(upload, "^aws s3 cp " + Pattern.quote(jar.toString()) + " (s3://\\S+/runs/\\d{8}T\\d{6}Z/"
        + "atl03-jobs-spark-submit\\.jar) --region us-west-2$");
    String runFolder = jarOnS3.substring(0, jarOnS3.lastIndexOf('/'));

    String create = line(aws, "aws emr create-cluster");
    assertThat(create).contains(" --region us-west-2 ").containsPattern(" --release-label emr-7\\.\\d+\\.\\d+ ")
        .contains(" --applications Name=Spark ")
        .containsPattern("InstanceGroupType=MASTER,InstanceCount=1,InstanceType=[a-z0-9]+\\.[a-z0-9]+ ")
        .containsPattern("InstanceGroupType=CORE,InstanceCount=[1-9]\\d*,InstanceType=[a-z0-9]+\\.[a-z0-9]+ ")
        .contains("Path=" + runFolder + "/bootstrap.sh,")
        .containsPattern(" --auto-termination-policy IdleTimeout=\\d+ ");
    assertThat(aws.get(1)).isEqualTo("aws s3 cp " + Script.root().resolve("emr/bootstrap.sh") + " " + runFolder
        + "/bootstrap.sh --region us-west-2");

    // the configurations create-cluster reads: spark-defaults and delta-defaults, all strings
    Path configurations = Path.of(group(create, " --configurations file://(\\S+) "));
    JsonNode conf = JSON.readTree(configurations.toFile());
    Map<String, JsonNode> byName = new HashMap<>();
    conf.forEach(c -> byName.put(c.get("Classification").asText(), c.get("Properties")));
    assertThat(byName).containsKeys("spark-defaults", "delta-defaults");
    assertThat(byName.get("delta-defaults").get("delta.enabled").asText()).isEqualTo("true");
    JsonNode spark = byName.get("spark-defaults");
    assertThat(spark.get("spark.sql.extensions").asText()).contains("io.delta.sql.DeltaSparkSessionExtension")
        .contains("org.apache.sedona.sql.SedonaSqlExtensions");
    spark.fields().forEachRemaining(f -> assertThat(f.getValue().isTextual()).as(f.getKey()).isTrue());
    // no provider configured by default: the property is left out, not set empty
    assertThat(spark.has("spark.hadoop.fs.s3a.bucket.nsidc-cumulus-prod-protected.aws.credentials.provider"))
        .isFalse();
    assertThat(aws.get(2)).isEqualTo("aws s3 cp " + configurations + " " + runFolder
        + "/configurations.json --region us-west-2");

    // the steps: spark-submit of the uploaded jar, our main class, in the cluster the create made
    String addSteps = line(aws, "aws emr add-steps");
    String clusterId = group(addSteps, " --cluster-id (j-[A-Z0-9]+) ");
    List<String> answers = r.stdout().lines().filter(l -> l.startsWith("# the real call answers, e.g.: "))
        .map(l -> l.substring("# the real call answers, e.g.: ".length())).toList();
    assertThat(answers).hasSize(2);
    assertThat(answers.get(0)).isEqualTo(clusterId);
    JsonNode steps = JSON.readTree(Path.of(group(addSteps, " --steps file://(\\S+) ")).toFile());
    List<String> names = new ArrayList<>();
    int submits = 0;
    for (JsonNode step : steps) {
      names.add(step.get("Name").asText());
      assertThat(step.get("Jar").asText()).isEqualTo("command-runner.jar");
      List<String> args = new ArrayList<>();
      step.get("Args").forEach(a -> args.add(a.asText()));
      if (args.get(0).equals("spark-submit")) {
        submits++;
        assertThat(args).containsSubsequence("--class", "org.atl03.jobs.Atl03", jarOnS3);
        assertThat(String.join(" ", args)).doesNotContain("${");
      }
    }
    assertThat(names).contains("atl03 convert", "atl03 bench");
    assertThat(submits).isGreaterThanOrEqualTo(2);
    JsonNode convert = steps.get(names.indexOf("atl03 convert")).get("Args");
    assertThat(convert.toString()).contains("\"--out\",\"" + runFolder + "/converted\"")
        .contains("s3a://nsidc-cumulus-prod-protected/ATLAS/ATL03/");

    // one wait per step id add-steps answered, in the cluster the create made
    String[] ids = answers.get(1).split("\t");
    assertThat(ids).hasSize(steps.size());
    for (String id : ids) {
      assertThat(aws).contains("aws emr wait step-complete --region us-west-2 --cluster-id " + clusterId
          + " --step-id " + id);
    }
    assertThat(aws).contains("aws emr terminate-clusters --region us-west-2 --cluster-ids " + clusterId);
    // and the same lines are kept as a script beside the JSON
    assertThat(Files.readAllLines(configurations.resolveSibling("commands.sh"))).isEqualTo(aws);
  }

  @Test
  void aConfiguredCredentialsProviderGoesToTheNsidcBucketOnly() throws Exception {
    Script.Result r = dryRun(Map.of("ATL03_EMR_AWS_CHECK", "0",
        "NSIDC_CREDENTIALS_PROVIDER", "org.example.EarthdataProvider"), "upload");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    Path configurations = Path.of(group(r.stdout(), "aws s3 cp (\\S+/configurations\\.json) "));
    JsonNode spark = JSON.readTree(configurations.toFile()).get(0).get("Properties");
    assertThat(spark.get("spark.hadoop.fs.s3a.bucket.nsidc-cumulus-prod-protected.aws.credentials.provider")
        .asText()).isEqualTo("org.example.EarthdataProvider");
    assertThat(spark.has("spark.hadoop.fs.s3a.aws.credentials.provider")).isFalse();
  }

  @Test
  void refusesAReleaseOtherThanEmr7() throws Exception {
    Script.Result r = dryRun(Map.of("EMR_RELEASE", "emr-6.15.0"), "create");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
    assertThat(r.stderr()).contains("cluster.env: EMR_RELEASE='emr-6.15.0' must be an emr-7.x.y release");
    assertThat(awsLines(r.stdout())).isEmpty();
  }

  @Test
  void refusesAMissingJarNamingIt() throws Exception {
    Script.Result r = dryRun(Map.of("ATL03_EMR_JAR", state.resolve("absent.jar").toString()), "upload");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
    assertThat(r.stderr()).contains(state.resolve("absent.jar") + ": no such jar");
  }

  @Test
  void refusesAJarWithoutOurDataSource() throws Exception {
    Path jar = state.resolve("other.jar");
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new java.util.zip.ZipEntry("META-INF/MANIFEST.MF"));
      out.write("Manifest-Version: 1.0\nMain-Class: org.atl03.jobs.Atl03\n".getBytes());
      out.putNextEntry(new java.util.zip.ZipEntry("org/atl03/jobs/Atl03.class"));
      out.write(new byte[] {(byte) 0xca, (byte) 0xfe});
    }
    Script.Result r = dryRun(Map.of("ATL03_EMR_JAR", jar.toString()), "upload");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
    assertThat(r.stderr()).contains(jar + ": no META-INF/services/org.apache.spark.sql.sources.DataSourceRegister");
  }

  @Test
  void refusesConfigurationsWithoutDeltaDefaultsOrWithNonStringValues() throws Exception {
    Path noDelta = write("no-delta.json",
        "[{\"Classification\": \"spark-defaults\", \"Properties\": {\"spark.executor.cores\": \"4\"}}]");
    Script.Result r = dryRun(Map.of("ATL03_EMR_CONFIGURATIONS", noDelta.toString()), "upload");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
    assertThat(r.stderr()).contains(noDelta + ": no delta-defaults classification");

    Path number = write("number.json", "[{\"Classification\": \"spark-defaults\", \"Properties\": "
        + "{\"spark.executor.cores\": 4}}, {\"Classification\": \"delta-defaults\", \"Properties\": "
        + "{\"delta.enabled\": \"true\"}}]");
    r = dryRun(Map.of("ATL03_EMR_CONFIGURATIONS", number.toString()), "upload");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
    assertThat(r.stderr()).contains(number + "[0]: spark.executor.cores: EMR takes string values only");

    Path broken = write("broken.json", "[{\"Classification\": \"spark-defaults\",");
    r = dryRun(Map.of("ATL03_EMR_CONFIGURATIONS", broken.toString()), "upload");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
    assertThat(r.stderr()).contains(broken + ": not valid JSON");
  }

  @Test
  void refusesAStepWithoutAJob() throws Exception {
    Script.Result r = dryRun(Map.of("STEPS", "convert nosuchstep"), "step");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
    assertThat(r.stderr()).contains("step nosuchstep has no STEP_nosuchstep_JOB array");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(state.resolve(name), text);
  }
}
