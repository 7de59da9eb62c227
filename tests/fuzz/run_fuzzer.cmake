# One fuzz test (tests/fuzz/CMakeLists.txt): cmake -DNAME= -DFUZZER= -DCORPUS= -DSEEDS=a|b -DWORK= -DSECONDS=
# -DRSS_MB= -P run_fuzzer.cmake
# A fresh corpus in WORK (the committed seeds, the fixtures named in SEEDS and the target's generated seeds),
# then SECONDS of fuzzing. Passes only when libFuzzer ends without a finding; WORK/summary.txt says how it went
# and WORK/artifacts/ keeps the input of a finding.
foreach(var NAME FUZZER CORPUS WORK SECONDS RSS_MB)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzzer.cmake: -D${var}= is missing")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/artifacts" "${WORK}/tmp")
if(IS_DIRECTORY "${CORPUS}")
  file(GLOB committed LIST_DIRECTORIES false "${CORPUS}/*")
  foreach(seed IN LISTS committed)
    get_filename_component(seed_name "${seed}" NAME)
    file(COPY_FILE "${seed}" "${WORK}/corpus/${seed_name}")
  endforeach()
endif()
string(REPLACE "|" ";" SEEDS "${SEEDS}")
set(index 0)
foreach(seed IN LISTS SEEDS)
  get_filename_component(seed_name "${seed}" NAME)
  file(COPY_FILE "${seed}" "${WORK}/corpus/fixture-${index}-${seed_name}")
  math(EXPR index "${index} + 1")
endforeach()

execute_process(COMMAND "${CMAKE_COMMAND}" -E env "LLMDROP_FUZZ_WRITE_SEEDS=${WORK}/corpus"
                        "TMPDIR=${WORK}/tmp" "${FUZZER}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NAME}: writing the generated seeds failed (${rc})")
endif()
file(GLOB seeds LIST_DIRECTORIES false "${WORK}/corpus/*")
list(LENGTH seeds seed_count)

# SECONDS 0: only the seeds, once each (a quick regression run).
if(SECONDS GREATER 0)
  set(budget -max_total_time=${SECONDS})
else()
  set(budget -runs=0)
endif()
set(log "${WORK}/fuzz.log")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env "TMPDIR=${WORK}/tmp"
          "${FUZZER}" "${WORK}/corpus" ${budget} -rss_limit_mb=${RSS_MB} -timeout=10
          -print_final_stats=1 "-artifact_prefix=${WORK}/artifacts/"
  RESULT_VARIABLE rc OUTPUT_FILE "${log}" ERROR_FILE "${log}")

file(READ "${log}" output)
set(executions "?")
if(output MATCHES "stat::number_of_executed_units: ([0-9]+)")
  set(executions "${CMAKE_MATCH_1}")
endif()
file(GLOB corpus_after LIST_DIRECTORIES false "${WORK}/corpus/*")
list(LENGTH corpus_after corpus_count)
file(GLOB artifacts LIST_DIRECTORIES false "${WORK}/artifacts/*")
if(rc EQUAL 0 AND NOT artifacts)
  set(summary "${NAME}: ${executions} executions in ${SECONDS} s, ${seed_count} seeds, corpus ${corpus_count}")
  string(APPEND summary ", 0 findings")
  message("${summary}")
  file(WRITE "${WORK}/summary.txt" "${summary}\n")
else()
  set(summary "${NAME}: FINDING after ${executions} executions (exit ${rc}): ${artifacts}")
  file(WRITE "${WORK}/summary.txt" "${summary}\n")
  # The report (the sanitizer's stack, libFuzzer's last lines) is at the end of the log.
  string(LENGTH "${output}" length)
  if(length GREATER 20000)
    math(EXPR start "${length} - 20000")
    string(SUBSTRING "${output}" ${start} -1 output)
  endif()
  message("${output}")
  message(FATAL_ERROR "${summary}\nlog: ${log}")
endif()
