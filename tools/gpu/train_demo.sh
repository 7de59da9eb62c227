#!/usr/bin/env bash
# On the GPU machine: train the demo model (tools/demo/train.py) from the carried .demo-work/corpus
# (made by tools/demo/prepare.sh) and return it as $OUT/demo.tgz with the training log.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PYTHONUNBUFFERED=1
out=${OUT:-/tmp}
python3 tools/demo/train.py --corpus .demo-work/corpus --out /tmp/demo-out/resources/models/demo \
  --reference /tmp/demo-out/tests/data/reference/demo.json "$@" 2>&1 | tee "$out/train.log"
tar czf "$out/demo.tgz" -C /tmp/demo-out resources tests
