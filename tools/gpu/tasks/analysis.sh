# regenerate the analysis reference; check a pruned export in transformers [carry .qt6/debs .qt6/deps]
# tools/make_analysis_fixtures.py writes tests/data/reference/analysis.json (the test model), analysis_demo.json
# (the demo model) and tests/data/calibration/calib.jsonl (all returned in $OUT); after a build,
# tools/check_pruned_export.py loads a `drop --prune-weights` export with plain transformers (CHECK=0 skips the
# build and the check). Log: analysis.log.
python3 tools/make_analysis_fixtures.py 2>&1 | grep -v "Loading weights" | tee "$out/analysis.log"
python3 tools/make_analysis_fixtures.py --model resources/models/demo --out tests/data/reference/analysis_demo.json \
  2>&1 | grep -v "Loading weights" | tee -a "$out/analysis.log"
cp tests/data/reference/analysis.json tests/data/reference/analysis_demo.json tests/data/calibration/calib.jsonl "$out/"
[ "${CHECK:-1}" = 1 ] || exit 0  # CHECK=0: the references only, no build
logged build-cuda.log build_cuda
python3 tools/check_pruned_export.py --llmdrop "$llmdrop" --model tests/data/models/llama \
  --data tests/data/calibration/calib.jsonl 2>&1 | grep -v "Loading weights" | tee -a "$out/analysis.log"
