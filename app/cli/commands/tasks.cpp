#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "eval/task.h"

namespace llmdrop::cli {

namespace {

void run_tasks(const ArgParser& p) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& name : available_tasks()) {
    const TaskSpec t = find_task(name);
    list.push_back(
        {{"task", t.name}, {"about", t.about}, {"file", t.source.string()}, {"num_fewshot", t.num_fewshot}});
  }
  if (p.flag("json")) return print_json(list);
  for (const auto& t : list)
    std::cout << t["task"].get<std::string>() << "\t" << t["about"].get<std::string>() << "\n    "
              << t["file"].get<std::string>() << "\n";
  std::cout << "task folders searched, first match wins:";
  for (const auto& dir : task_folders()) std::cout << " " << dir.string();
  std::cout << "\n";
}

}  // namespace

Command tasks_command() {
  return {"tasks", "List the evaluation tasks (built-in and the user's task folder).", SharedOptions::None,
          add_json_flag, run_tasks};
}

}  // namespace llmdrop::cli
