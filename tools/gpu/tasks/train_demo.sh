# train the demo model (tools/demo/train.py) [carry .demo-work]
# In $OUT: demo.tgz, train.log.
# .demo-work from tools/demo/prepare.sh; ARGS go to train.py. demo.tgz holds resources/models/demo and
# tests/data/reference/demo.json.
needs .demo-work/corpus tools/demo/prepare.sh
python3 tools/demo/train.py --corpus .demo-work/corpus --out /tmp/demo-out/resources/models/demo \
  --reference /tmp/demo-out/tests/data/reference/demo.json "$@" 2>&1 | tee "$out/train.log"
tar czf "$out/demo.tgz" -C /tmp/demo-out resources tests
