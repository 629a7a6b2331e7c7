#!/usr/bin/env python3
"""emr/cluster.sh's offline checks and JSON: the configurations and steps it hands to the aws CLI, and the jar.

  render.py configurations TEMPLATE OUT     @NAME@ tokens from the environment; checked; written to OUT
  render.py step STEPS_JSON NAME            appends a command-runner.jar step; its args NUL-separated on stdin
  render.py check-steps STEPS_JSON          every step well-formed
  render.py check-jar JAR CONFIGURATIONS    the spark-submit jar: main class, data source, classes the config names

Errors name the file and the thing that is wrong, and exit 1.
"""
import json
import os
import re
import sys
import zipfile

TOKEN = re.compile(r"@([A-Z][A-Z0-9_]*)@")
MAIN_CLASS = "org.atl03.jobs.Atl03"
DATA_SOURCE_REGISTER = "META-INF/services/org.apache.spark.sql.sources.DataSourceRegister"
OUR_SOURCE = "org.atl03.datasource.spark.atl03.Atl03DataSource"
# EMR brings Spark, Hadoop and (with delta-defaults) Delta: the jar must not carry them
CLUSTER_CLASSES = ["org/apache/spark/SparkContext.class", "org/apache/hadoop/fs/FileSystem.class",
                   "io/delta/sql/DeltaSparkSessionExtension.class"]
# EMR's classifications for Spark clusters that this project uses
KNOWN_CLASSIFICATIONS = {"spark-defaults", "delta-defaults", "spark-env", "spark-log4j2", "core-site"}
ACTIONS = {"CONTINUE", "CANCEL_AND_WAIT", "TERMINATE_CLUSTER"}


def fail(message):
    print(f"emr/render.py: {message}", file=sys.stderr)
    sys.exit(1)


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except json.JSONDecodeError as e:
        fail(f"{path}: not valid JSON: {e}")


def substitute(text, where, allow_empty=False):
    def value(match):
        name = match.group(1)
        if name not in os.environ:
            fail(f"{where}: @{name}@ is not set (emr/cluster.env)")
        if not os.environ[name] and not allow_empty:
            fail(f"{where}: @{name}@ is empty (emr/cluster.env)")
        return os.environ[name]
    return TOKEN.sub(value, text)


def render_configurations(template, out):
    configurations = load_json(template)
    if not isinstance(configurations, list) or not configurations:
        fail(f"{template}: expected a non-empty list of classifications")
    seen = set()
    for i, c in enumerate(configurations):
        where = f"{template}[{i}]"
        if not isinstance(c, dict) or set(c) - {"Classification", "Properties", "Configurations"}:
            fail(f"{where}: a classification has only Classification, Properties, Configurations")
        name = c.get("Classification")
        if name not in KNOWN_CLASSIFICATIONS:
            fail(f"{where}: unknown classification {name!r} (known: {sorted(KNOWN_CLASSIFICATIONS)})")
        if name in seen:
            fail(f"{where}: classification {name} twice")
        seen.add(name)
        rendered = {}
        for key, raw in c.get("Properties", {}).items():
            if not isinstance(raw, str):
                fail(f"{where}: {key}: EMR takes string values only, not {raw!r}")
            k = substitute(key, f"{where} key {key}")
            # a value that is a single token rendering empty leaves its property out (an optional setting)
            optional = TOKEN.fullmatch(raw) is not None
            v = substitute(raw, f"{where} {key}", allow_empty=optional)
            if v == "" and optional:
                continue
            if not v.strip():
                fail(f"{where}: {k} is empty")
            rendered[k] = v
        c["Properties"] = rendered
    for required in ("spark-defaults", "delta-defaults"):
        if required not in seen:
            fail(f"{template}: no {required} classification")
    by_name = {c["Classification"]: c["Properties"] for c in configurations}
    if by_name["delta-defaults"].get("delta.enabled") != "true":
        fail(f"{template}: delta-defaults must set delta.enabled to \"true\" (EMR then installs Delta)")
    spark = by_name["spark-defaults"]
    for key in ("spark.executor.memory", "spark.driver.memory"):
        if key in spark and not re.fullmatch(r"[0-9]+[kmgt]", spark[key]):
            fail(f"{template}: {key} = {spark[key]!r} is not a JVM size like 9g")
    for key in ("spark.executor.cores", "spark.sql.shuffle.partitions"):
        if key in spark and not re.fullmatch(r"[1-9][0-9]*", spark[key]):
            fail(f"{template}: {key} = {spark[key]!r} is not a positive integer")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(configurations, f, indent=2)
        f.write("\n")


def add_step(steps_file, name):
    args = sys.stdin.buffer.read().decode("utf-8").split("\0")
    if args and args[-1] == "":
        args.pop()
    steps = load_json(steps_file) if os.path.exists(steps_file) else []
    steps.append({"Type": "CUSTOM_JAR", "Name": name, "ActionOnFailure": "CONTINUE",
                  "Jar": "command-runner.jar", "Args": args})
    with open(steps_file, "w", encoding="utf-8") as f:
        json.dump(steps, f, indent=2)
        f.write("\n")


def check_steps(steps_file):
    steps = load_json(steps_file)
    if not isinstance(steps, list) or not steps:
        fail(f"{steps_file}: expected a non-empty list of steps")
    names = set()
    for i, s in enumerate(steps):
        where = f"{steps_file}[{i}]"
        extra = set(s) - {"Type", "Name", "ActionOnFailure", "Jar", "Args", "MainClass", "Properties"}
        if extra:
            fail(f"{where}: unknown keys {sorted(extra)}")
        if not s.get("Name") or len(s["Name"]) > 256:
            fail(f"{where}: a step needs a Name of at most 256 characters")
        if s["Name"] in names:
            fail(f"{where}: step name {s['Name']} twice")
        names.add(s["Name"])
        if s.get("ActionOnFailure") not in ACTIONS:
            fail(f"{where}: ActionOnFailure must be one of {sorted(ACTIONS)}")
        if s.get("Jar") != "command-runner.jar" or not s.get("Args"):
            fail(f"{where}: expected command-runner.jar with Args")
        args = s["Args"]
        if not all(isinstance(a, str) and a for a in args):
            fail(f"{where}: every argument is a non-empty string: {args}")
        unresolved = [a for a in args if "${" in a or TOKEN.search(a)]
        if unresolved:
            fail(f"{where}: unresolved placeholders in {unresolved}")
        if args[0] == "spark-submit":
            if "--class" not in args or args[args.index("--class") + 1] != MAIN_CLASS:
                fail(f"{where}: spark-submit without --class {MAIN_CLASS}")
            jar = [a for a in args if a.endswith(".jar")]
            if not jar or not jar[0].startswith("s3://"):
                fail(f"{where}: spark-submit of a jar that is not on S3: {jar}")


def check_jar(jar, configurations_file):
    if not os.path.isfile(jar):
        fail(f"{jar}: no such jar (build it: ./atl03 build)")
    try:
        z = zipfile.ZipFile(jar)
    except zipfile.BadZipFile as e:
        fail(f"{jar}: not a jar: {e}")
    names = set(z.namelist())
    manifest = z.read("META-INF/MANIFEST.MF").decode("utf-8") if "META-INF/MANIFEST.MF" in names else ""
    if f"Main-Class: {MAIN_CLASS}" not in manifest:
        fail(f"{jar}: META-INF/MANIFEST.MF has no Main-Class: {MAIN_CLASS}")
    if MAIN_CLASS.replace(".", "/") + ".class" not in names:
        fail(f"{jar}: no {MAIN_CLASS} class")
    if DATA_SOURCE_REGISTER not in names:
        fail(f"{jar}: no {DATA_SOURCE_REGISTER}: format(\"atl03\") would not resolve")
    registered = z.read(DATA_SOURCE_REGISTER).decode("utf-8").split()
    if OUR_SOURCE not in registered:
        fail(f"{jar}: {DATA_SOURCE_REGISTER} does not register {OUR_SOURCE}")
    if OUR_SOURCE.replace(".", "/") + ".class" not in names:
        fail(f"{jar}: registers {OUR_SOURCE} but lacks its class")
    bundled = [c for c in CLUSTER_CLASSES if c in names]
    if bundled:
        fail(f"{jar}: bundles {bundled}, which EMR provides (they must stay provided)")
    spark = {c["Classification"]: c["Properties"] for c in load_json(configurations_file)}["spark-defaults"]
    for key in ("spark.sql.extensions", "spark.sql.catalog.spark_catalog"):
        for cls in filter(None, (s.strip() for s in spark.get(key, "").split(","))):
            if cls.startswith("io.delta.") or cls.startswith("org.apache.spark.sql.delta."):
                continue  # EMR's delta-defaults brings Delta
            if cls.replace(".", "/") + ".class" not in names:
                fail(f"{configurations_file}: {key} names {cls}, which is not in {jar}")
    print(f"{jar}: Main-Class {MAIN_CLASS}, registers {OUR_SOURCE}, no Spark/Hadoop/Delta classes, "
          f"{len(names)} entries")


def main(argv):
    if len(argv) == 4 and argv[1] == "configurations":
        render_configurations(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "step":
        add_step(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == "check-steps":
        check_steps(argv[2])
    elif len(argv) == 4 and argv[1] == "check-jar":
        check_jar(argv[2], argv[3])
    else:
        fail("usage: see the top of emr/render.py")


if __name__ == "__main__":
    main(sys.argv)
