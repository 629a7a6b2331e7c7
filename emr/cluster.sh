#!/usr/bin/env bash
# emr/cluster.sh [--dry-run] COMMAND...   run the atl03 jobs on an EMR 7 cluster in us-west-2 (docs/deploy.md, "Running on EMR")
#
#   upload      the spark-submit jar and the bootstrap action to a new run folder S3_BASE/runs/<run id>/
#   create      the cluster (configurations from emr/configurations.json); waits until it is ready
#   step        adds the STEPS (emr/cluster.env) as EMR steps
#   results     waits for the steps, then copies the run's outputs and step logs to results/emr-<run id>/
#   terminate   terminates the cluster
#   all         upload create step results terminate (terminates also when a command fails)
#   --dry-run   (or DRY_RUN=1) touches nothing: checks the configuration, renders and checks the JSON, checks the
#               jar, and prints the exact aws commands; with an aws CLI at hand, also has it parse each command
#
# Configuration: emr/cluster.env (ATL03_EMR_ENV=other.env), emr/configurations.json (ATL03_EMR_CONFIGURATIONS),
# the jar jobs/target/atl03-jobs-spark-submit.jar (ATL03_EMR_JAR). State (run id, cluster id, step ids) and the
# rendered JSON: target/emr/ (ATL03_EMR_STATE). ATL03_EMR_AWS_CHECK=0 skips the aws CLI's parse in a dry run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DRY_RUN="${DRY_RUN:-0}"
COMMANDS=()
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    upload|create|step|results|terminate) COMMANDS+=("$arg") ;;
    all) COMMANDS+=(upload create step results terminate) ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "emr/cluster.sh: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#COMMANDS[@]} -gt 0 ] || { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

log() { echo "emr: $*" >&2; }
# fd 3: the real stdout, where a dry run prints its commands (aws_run also runs inside $(...))
exec 3>&1
die() { echo "emr/cluster.sh: $*" >&2; exit 1; }

ENV_FILE="${ATL03_EMR_ENV:-$ROOT/emr/cluster.env}"
[ -f "$ENV_FILE" ] || die "no configuration file $ENV_FILE"
# shellcheck source=cluster.env
source "$ENV_FILE"
PYTHON="${ATL03_PYTHON:-/usr/bin/python3}"
JAR="${ATL03_EMR_JAR:-$ROOT/jobs/target/atl03-jobs-spark-submit.jar}"
STATE="${ATL03_EMR_STATE:-$ROOT/target/emr}"
CONFIGURATIONS="${ATL03_EMR_CONFIGURATIONS:-$ROOT/emr/configurations.json}"
mkdir -p "$STATE"

# --- the configuration, checked before anything runs ---
require() {
  local name="$1" pattern="$2" hint="$3"
  [[ "${!name:-}" =~ $pattern ]] || die "$ENV_FILE: $name='${!name:-}' $hint"
}
require AWS_REGION '^us-west-2$' "must be us-west-2 (NSIDC's bucket is there)"
require EMR_RELEASE '^emr-7\.[0-9]+\.[0-9]+$' "must be an emr-7.x.y release (Spark 3.5, Java 17)"
require CLUSTER_NAME '^[A-Za-z0-9._-]+$' "must be a plain name"
require PRIMARY_INSTANCE_TYPE '^[a-z][a-z0-9-]*\.[0-9]*[a-z]+$' "is not an instance type like m5.xlarge"
require CORE_INSTANCE_TYPE '^[a-z][a-z0-9-]*\.[0-9]*[a-z]+$' "is not an instance type like m5.2xlarge"
require CORE_INSTANCE_COUNT '^[1-9][0-9]*$' "must be a positive count"
require IDLE_TIMEOUT_SECONDS '^[0-9]+$' "must be seconds"
require S3_BASE '^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^ ]*)?$' "must be an s3:// folder in your bucket"
require LOG_URI '^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^ ]*)?/$' "must be an s3:// folder ending in /"
require SERVICE_ROLE '^[A-Za-z0-9+=,.@_-]+$' "must be an IAM role name"
require INSTANCE_PROFILE '^[A-Za-z0-9+=,.@_-]+$' "must be an instance profile name"
require EARTHDATA_TOKEN_PARAMETER '^/[A-Za-z0-9/_.-]+$' "must be an SSM parameter name like /atl03/earthdata-token"
require EARTHDATA_TOKEN_FILE '^/[A-Za-z0-9/_.-]+$' "must be an absolute path"
require STEPS '^[a-z0-9_]+( [a-z0-9_]+)*$' "must be step names separated by spaces"
[ -z "$NSIDC_CREDENTIALS_PROVIDER" ] || require NSIDC_CREDENTIALS_PROVIDER '^[A-Za-z_][A-Za-z0-9_.$]*$' \
  "must be a Java class name"
if [ "$DRY_RUN" != 1 ] && [[ "$S3_BASE" == *change-me-* ]]; then
  die "$ENV_FILE: set S3_BASE to a folder in your own bucket (it is $S3_BASE)"
fi
export AWS_REGION EMR_RELEASE EXECUTOR_CORES EXECUTOR_MEMORY DRIVER_MEMORY SHUFFLE_PARTITIONS NSIDC_BUCKET \
  NSIDC_CREDENTIALS_PROVIDER EARTHDATA_TOKEN_FILE

# --- state: the run id (one per upload), cluster id, step ids ---
state_get() { cat "$STATE/$1" 2>/dev/null || true; }
state_put() { [ "$DRY_RUN" = 1 ] || printf '%s\n' "$2" >"$STATE/$1"; }
RUN_ID="$(state_get run-id)"
if [[ " ${COMMANDS[*]} " == *" upload "* ]]; then
  RUN_ID="$(date -u +%Y%m%dT%H%M%SZ)"
elif [ -z "$RUN_ID" ]; then
  [ "$DRY_RUN" = 1 ] || die "no run id in $STATE/run-id: run upload first"
  RUN_ID="$(date -u +%Y%m%dT%H%M%SZ)"
fi
[ "$DRY_RUN" = 1 ] && CLUSTER_ID="j-DRYRUNCLUSTER" || CLUSTER_ID="$(state_get cluster-id)"
OUTPUTS="$S3_BASE/runs/$RUN_ID"
LOCAL_RESULTS=/mnt/atl03/results
STAGE="$STATE/$RUN_ID"
mkdir -p "$STAGE"
[ "$DRY_RUN" = 1 ] && : >"$STAGE/commands.sh"

# one copy-pasteable shell word: plain when safe, else single-quoted
shell_word() {
  if [[ "$1" =~ ^[A-Za-z0-9_./:=,@+%-]+$ ]]; then printf '%s' "$1"; else printf "'%s'" "${1//\'/\'\\\'\'}"; fi
}

# runs an aws command, printing it first as one line; a dry run only prints it (to fd 3 and STAGE/commands.sh),
# has the aws CLI parse it, and answers DRY_ANSWER, what the real call would print (set it for the call only:
# DRY_ANSWER=x aws_run ...)
PARSE_CHECKED=0
aws_run() {
  local line="aws" a
  for a in "$@"; do line+=" $(shell_word "$a")"; done
  if [ "$DRY_RUN" = 1 ]; then
    echo "$line" >&3
    echo "$line" >>"$STAGE/commands.sh"
    case "$1 $2" in
      "emr wait"|"s3 cp") ;;  # waiters only poll; s3 cp has no syntax to check
      *) aws_parse_check "$@" ;;
    esac
    if [ -n "${DRY_ANSWER:-}" ]; then
      echo "# the real call answers, e.g.: $DRY_ANSWER" >&3
      printf '%s\n' "$DRY_ANSWER"
    fi
    return 0
  fi
  log "$line"
  aws "$@"
}

# Dry run with an aws CLI at hand: let it parse the command against its EMR/S3 models, offline (an endpoint on a
# closed loopback port, no retries). Reaching "could not connect" means every argument and JSON file parsed.
aws_parse_check() {
  [ "${ATL03_EMR_AWS_CHECK:-1}" = 1 ] && command -v aws >/dev/null 2>&1 || return 0
  local out
  out="$(AWS_ACCESS_KEY_ID=dry-run AWS_SECRET_ACCESS_KEY=dry-run AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
    timeout 60 aws --endpoint-url http://127.0.0.1:9 --cli-connect-timeout 1 "$@" 2>&1 || true)"
  if ! grep -qiE 'could not connect to the endpoint|connection refused' <<<"$out"; then
    die "the aws CLI rejects: aws $*
$out"
  fi
  log "aws CLI parsed: aws $1 $2"
}

# --- the files the commands use ---
render() {
  "$PYTHON" "$ROOT/emr/render.py" configurations "$CONFIGURATIONS" "$STAGE/configurations.json"
  "$PYTHON" "$ROOT/emr/render.py" check-jar "$JAR" "$STAGE/configurations.json" >&2
  [ -f "$ROOT/emr/bootstrap.sh" ] || die "no emr/bootstrap.sh"
  bash -n "$ROOT/emr/bootstrap.sh" || die "emr/bootstrap.sh: bash syntax error"

  rm -f "$STAGE/steps.json"
  local name
  for name in $STEPS; do
    declare -p "STEP_${name}_JOB" >/dev/null 2>&1 || die "$ENV_FILE: step $name has no STEP_${name}_JOB array"
    local -n submit="STEP_${name}_SUBMIT" job="STEP_${name}_JOB"
    local args=(spark-submit "${submit[@]}" --class org.atl03.jobs.Atl03 "$OUTPUTS/atl03-jobs-spark-submit.jar"
      "${job[@]}")
    expand "${args[@]}" | "$PYTHON" "$ROOT/emr/render.py" step "$STAGE/steps.json" "atl03 $name"
    if declare -p "STEP_${name}_AFTER" >/dev/null 2>&1; then
      local -n after="STEP_${name}_AFTER"
      expand "${after[@]}" | "$PYTHON" "$ROOT/emr/render.py" step "$STAGE/steps.json" "atl03 $name: after"
      unset -n after
    fi
    unset -n submit job
  done
  "$PYTHON" "$ROOT/emr/render.py" check-steps "$STAGE/steps.json"
}

# the step arguments' ${OUTPUTS} and ${LOCAL_RESULTS}, NUL-separated
expand() {
  local a
  for a in "$@"; do
    a="${a//'${OUTPUTS}'/$OUTPUTS}"
    a="${a//'${LOCAL_RESULTS}'/$LOCAL_RESULTS}"
    printf '%s\0' "$a"
  done
}

# --- the commands ---
do_upload() {
  aws_run s3 cp "$JAR" "$OUTPUTS/atl03-jobs-spark-submit.jar" --region "$AWS_REGION"
  aws_run s3 cp "$ROOT/emr/bootstrap.sh" "$OUTPUTS/bootstrap.sh" --region "$AWS_REGION"
  aws_run s3 cp "$STAGE/configurations.json" "$OUTPUTS/configurations.json" --region "$AWS_REGION"
  state_put run-id "$RUN_ID"
}

do_create() {
  local ec2="InstanceProfile=$INSTANCE_PROFILE"
  [ -z "$SUBNET_ID" ] || ec2+=",SubnetId=$SUBNET_ID"
  [ -z "$KEY_NAME" ] || ec2+=",KeyName=$KEY_NAME"
  local id
  id="$(DRY_ANSWER=j-DRYRUNCLUSTER aws_run emr create-cluster --region "$AWS_REGION" --name "$CLUSTER_NAME-$RUN_ID" \
    --release-label "$EMR_RELEASE" --applications Name=Spark \
    --configurations "file://$STAGE/configurations.json" \
    --instance-groups "InstanceGroupType=MASTER,InstanceCount=1,InstanceType=$PRIMARY_INSTANCE_TYPE" \
    "InstanceGroupType=CORE,InstanceCount=$CORE_INSTANCE_COUNT,InstanceType=$CORE_INSTANCE_TYPE" \
    --service-role "$SERVICE_ROLE" --ec2-attributes "$ec2" --log-uri "$LOG_URI" \
    --bootstrap-actions "Path=$OUTPUTS/bootstrap.sh,Name=atl03-bootstrap,Args=[$EARTHDATA_TOKEN_PARAMETER,$EARTHDATA_TOKEN_FILE]" \
    --auto-termination-policy "IdleTimeout=$IDLE_TIMEOUT_SECONDS" \
    --tags project=atl03-spark "run=$RUN_ID" \
    --query ClusterId --output text)"
  [[ "$id" =~ ^j-[A-Z0-9]+$ ]] || die "create-cluster answered '$id', not a cluster id"
  CLUSTER_ID="$id"
  CREATED_ID="$id"
  state_put cluster-id "$CLUSTER_ID"
  [ "$DRY_RUN" = 1 ] || log "cluster $CLUSTER_ID; waiting until it runs (about 8 minutes)"
  aws_run emr wait cluster-running --region "$AWS_REGION" --cluster-id "$CLUSTER_ID"
}

# what add-steps would answer: one id per step (and per AFTER command), tab-separated
dry_step_ids() {
  "$PYTHON" -c 'import json, sys; print("\t".join("s-DRYRUN%02d" % i for i, _ in enumerate(json.load(open(sys.argv[1])))))' \
    "$STAGE/steps.json"
}

do_step() {
  [ -n "$CLUSTER_ID" ] || die "no cluster id in $STATE/cluster-id: run create first"
  local ids
  ids="$(DRY_ANSWER="$(dry_step_ids)" aws_run emr add-steps --region "$AWS_REGION" --cluster-id "$CLUSTER_ID" \
    --steps "file://$STAGE/steps.json" --query 'StepIds' --output text)"
  state_put step-ids "$ids"
  [ "$DRY_RUN" = 1 ] || log "steps $ids"
}

do_results() {
  [ -n "$CLUSTER_ID" ] || die "no cluster id in $STATE/cluster-id: run create first"
  local ids out="$ROOT/results/emr-$RUN_ID" failed=0
  [ "$DRY_RUN" = 1 ] && ids="$(dry_step_ids)" || ids="$(state_get step-ids)"
  for id in $ids; do
    aws_run emr wait step-complete --region "$AWS_REGION" --cluster-id "$CLUSTER_ID" --step-id "$id" \
      || { log "step $id did not complete (its logs are fetched below)"; failed=1; }
  done
  aws_run s3 cp --recursive "$OUTPUTS/results/" "$out/" --region "$AWS_REGION" || true
  # EMR copies step logs to LOG_URI every few minutes, and at the end
  aws_run s3 cp --recursive "$LOG_URI$CLUSTER_ID/steps/" "$out/steps/" --region "$AWS_REGION"
  [ "$DRY_RUN" = 1 ] || log "results in $out"
  return "$failed"
}

TERMINATED=0
do_terminate() {
  [ -n "$CLUSTER_ID" ] || die "no cluster id in $STATE/cluster-id"
  aws_run emr terminate-clusters --region "$AWS_REGION" --cluster-ids "$CLUSTER_ID"
  TERMINATED=1
  aws_run emr wait cluster-terminated --region "$AWS_REGION" --cluster-id "$CLUSTER_ID"
}

render
if [ "$DRY_RUN" = 1 ]; then
  log "dry run: nothing is created; configuration $ENV_FILE; files in $STAGE"
elif ! command -v aws >/dev/null 2>&1; then
  die "no aws CLI (Debian: apt-get install awscli); --dry-run works without it"
fi
if [[ " ${COMMANDS[*]} " == *" terminate "* ]] && [ "$DRY_RUN" != 1 ]; then
  # `all` (or any list ending in terminate): a failed step still terminates the cluster
  # (the cluster this call creates when create is among its commands, never one an earlier call left running)
  CREATED_ID=""
  [[ " ${COMMANDS[*]} " == *" create "* ]] || CREATED_ID="$CLUSTER_ID"
  trap '[ "$TERMINATED" = 1 ] || [ -z "$CREATED_ID" ] || { CLUSTER_ID="$CREATED_ID"; do_terminate; }' EXIT
fi
for command in "${COMMANDS[@]}"; do
  "do_$command"
done
