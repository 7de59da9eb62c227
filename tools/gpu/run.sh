#!/usr/bin/env bash
# The GPU machine's one entry point: `tools/gpu/run.sh TASK [ARGS…]` runs tools/gpu/tasks/TASK.sh after the
# shared preamble (tools/gpu/common.sh), in the repository root; logs and results go to $OUT. With no TASK it
# lists the tasks. Several tasks in one device call: `tools/gpu/run.sh eval && tools/gpu/run.sh test`.
gpu=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

list_tasks() {
  echo "usage: tools/gpu/run.sh TASK [ARGS...]   (on the GPU machine; logs and results in \$OUT)"
  local f
  for f in "$gpu"/tasks/*.sh; do
    printf '  %-14s %s\n' "$(basename "$f" .sh)" "$(sed -n '1s/^# *//p' "$f")"
  done
}

case "${1:-}" in
  "" | -h | --help | help | list) list_tasks; exit 0 ;;
esac
task=$1
shift
if [[ ! $task =~ ^[a-z0-9_]+$ ]] || [ ! -f "$gpu/tasks/$task.sh" ]; then
  echo "run.sh: no task '$task'" >&2
  list_tasks >&2
  exit 2
fi
source "$gpu/common.sh"
source "$gpu/tasks/$task.sh"
