<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/workbench/plan_history.cpp" line="+39"/>
        <source>attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>block</source>
        <translation>模块</translation>
    </message>
    <message>
        <location filename="../app/workbench/importance_map.cpp" line="+21"/>
        <source>angular distance</source>
        <translation>角距离</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>NLL increase</source>
        <translation>NLL 增量</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>KL divergence</source>
        <translation>KL 散度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>JS divergence</source>
        <translation>JS 散度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>last-token angular distance</source>
        <translation>末 token 角距离</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>task NLL increase</source>
        <translation>任务 NLL 增量</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cosine similarity</source>
        <translation>余弦相似度</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::CompareView</name>
    <message>
        <location filename="../widgets/compare_view.cpp" line="+33"/>
        <source>Pin the current plan as A</source>
        <translation>将当前方案固定为 A</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Measure perplexity and generate</source>
        <translation>测量困惑度并生成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Once upon a time</source>
        <translation>Once upon a time</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters removed</source>
        <translation>移除的参数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KV cache saved</source>
        <translation>节省的 KV 缓存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Estimated decode speedup</source>
        <translation>估计解码加速</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Held-out perplexity</source>
        <translation>留出文本困惑度</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>A: %1</source>
        <translation>A：%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>B (current): %1</source>
        <translation>B（当前）：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2 %)</source>
        <translation>%1（%2 %）</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>A has %1 layers, B %2
A drops: attention %3, MLP %4
B drops: attention %5, MLP %6</source>
        <translation>A 有 %1 层，B 有 %2 层
A 丢弃：注意力 %3，MLP %4
B 丢弃：注意力 %5，MLP %6</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Only A drops: attention %1, MLP %2
Only B drops: attention %3, MLP %4
Both drop: attention %5, MLP %6</source>
        <translation>仅 A 丢弃：注意力 %1，MLP %2
仅 B 丢弃：注意力 %3，MLP %4
两者都丢弃：注意力 %5，MLP %6</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Measuring both plans…</source>
        <translation>正在测量两个方案…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>B − A perplexity: %1</source>
        <translation>困惑度 B − A：%1</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::DropControl</name>
    <message>
        <location filename="../widgets/drop_control.cpp" line="+29"/>
        <source>Add to plan</source>
        <translation>加入方案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace plan</source>
        <translation>替换方案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>angular</source>
        <translation>角距离</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NLL increase (measured)</source>
        <translation>NLL 增量（实测）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KL divergence (measured)</source>
        <translation>KL 散度（实测）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JS divergence (measured)</source>
        <translation>JS 散度（实测）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last-token angle (blocks)</source>
        <translation>末 token 角度（模块）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>task NLL increase (measured)</source>
        <translation>任务 NLL 增量（实测）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How alike a module&apos;s input and output are (LLM-Drop): a module that barely changes the residual stream is redundant.</source>
        <translation>模块输入与输出的相似程度（LLM-Drop）：几乎不改变残差流的模块是冗余的。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The same comparison as an angle (arccos(cos)/π, ShortGPT): 0 for no change, 1 for the opposite direction.</source>
        <translation>以角度表示的同一比较（arccos(cos)/π，ShortGPT）：0 表示没有变化，1 表示方向相反。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Leave the module out and measure how much worse the model predicts the next token (mean NLL).</source>
        <translation>去掉该模块，测量模型预测下一个 token 的效果变差多少（平均 NLL）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leave the module out and measure how far the predicted next-token distribution moves (FinerCut&apos;s KL divergence).</source>
        <translation>去掉该模块，测量预测的下一个 token 分布偏移多远（FinerCut 的 KL 散度）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>As KL, but symmetric and bounded by ln 2 (Jensen–Shannon divergence).</source>
        <translation>与 KL 相同，但对称且上界为 ln 2（Jensen–Shannon 散度）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The angle between the states before and after a span of blocks, on each text&apos;s last token only (Gromov et al.): the span whose ends point the same way can go. Blocks only.</source>
        <translation>一段连续模块前后状态之间的夹角，仅在每段文本的最后一个 token 上计算（Gromov 等）：首尾方向一致的那一段可以移除。仅适用于模块。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Leave the module out and measure how much worse the model finds each task&apos;s correct answers (mean NLL per answer token): which layers matter for which task, one set of rows per task.</source>
        <translation>去掉该模块，测量模型对每个任务正确答案的判断变差多少（每个答案 token 的平均 NLL）：看出哪些层对哪个任务重要，每个任务一组行。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>attention layers</source>
        <translation>注意力层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MLP layers</source>
        <translation>MLP 层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>blocks</source>
        <translation>模块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>attention or MLP (joint)</source>
        <translation>注意力或 MLP（联合）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>discrete (one scoring)</source>
        <translation>离散（一次评分）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>consecutive blocks</source>
        <translation>连续模块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>iterative (re-score after each)</source>
        <translation>迭代（每次丢弃后重新评分）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Drop the N least important modules as well as those the plan drops already</source>
        <translation>在方案已丢弃的模块之外，再丢弃 N 个最不重要的模块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make the plan exactly the N least important modules</source>
        <translation>将方案设为恰好这 N 个最不重要的模块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comma-separated task names (Evaluation tab&apos;s data folder)</source>
        <translation>逗号分隔的任务名称（“评测”页的数据文件夹）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documents per task (each MMLU subject)</source>
        <translation>每个任务的文档数（MMLU 每个学科）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>documents</source>
        <translation>文档数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Metric</source>
        <translation>度量</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>least important</source>
        <translation>个最不重要的</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>by</source>
        <translation>策略</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Consecutive selection drops whole blocks: choose blocks</source>
        <translation>连续选择会丢弃整个模块：请选择“模块”</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Consecutive selection drops whole blocks: choose another strategy</source>
        <translation>连续选择会丢弃整个模块：请选择其他策略</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::EvalPanel</name>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="+31"/>
        <source>Evaluate</source>
        <translation>评测</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documents per task (per MMLU subject)</source>
        <translation>每个任务的文档数（MMLU 按学科计）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>folder holding arc_easy/, hellaswag/, …</source>
        <translation>包含 arc_easy/、hellaswag/ 等的文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Evaluation data folder</source>
        <translation>评测数据文件夹</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documents</source>
        <translation>文档数</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>accuracy (fraction correct)</source>
        <translation>准确率（正确比例）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>task · metric</source>
        <translation>任务 · 度量</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Evaluating…</source>
        <translation>正在评测…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1 documents, %2 s</source>
        <translation>%1 个文档，%2 秒</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Done in %1 s</source>
        <translation>完成，用时 %1 秒</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>No accuracies yet: tick tasks and press Evaluate</source>
        <translation>尚无准确率：请勾选任务并点击“评测”</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Evaluation</source>
        <translation>评测</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::HealPanel</name>
    <message>
        <location filename="../widgets/heal_panel.cpp" line="+41"/>
        <source>Heal</source>
        <translation>修复</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Training-style text (JSON Lines with a &quot;text&quot; field, or plain text): not the text the perplexity is measured on</source>
        <translation>训练风格的文本（带 &quot;text&quot; 字段的 JSON Lines，或纯文本）：不是用于测量困惑度的文本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A new folder: the merged checkpoint, and adapter/ in PEFT&apos;s layout</source>
        <translation>一个新文件夹：其中是合并后的检查点，以及 PEFT 布局的 adapter/</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Peak learning rate of AdamW, on a cosine schedule down to zero</source>
        <translation>AdamW 的峰值学习率，按余弦调度降至零</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The adapters&apos; update is scaled by alpha / rank</source>
        <translation>适配器的更新按 alpha / 秩 缩放</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Training text</source>
        <translation>训练文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blocks per step</source>
        <translation>每步文本块数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens per block</source>
        <translation>每块 token 数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LoRA rank</source>
        <translation>LoRA 秩</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LoRA alpha</source>
        <translation>LoRA alpha</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Healing trains small low-rank adapters (LoRA) on the attention and MLP projections the plan keeps, with the model&apos;s own weights frozen, to win back some of what the drop cost. The curve is the training loss per step; below it, the held-out perplexity before the drop, with it and after healing.</source>
        <translation>修复会在方案保留的注意力和 MLP 投影上训练小型低秩适配器（LoRA），同时冻结模型自身的权重，以挽回丢弃造成的部分损失。曲线为每步的训练损失；其下方是丢弃前、丢弃后和修复后的留出文本困惑度。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>training loss (nats per token)</source>
        <translation>训练损失（每 token 奈特）</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>No training yet: choose the text and press Heal</source>
        <translation>尚未训练：请选择文本并点击“修复”</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>loss of each step</source>
        <translation>每步损失</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>smoothed (moving average, weight 0.9)</source>
        <translation>平滑（滑动平均，权重 0.9）</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Held-out perplexity: full model %1 · with the drops %2 · healed %3</source>
        <translation>留出文本困惑度：完整模型 %1 · 丢弃后 %2 · 修复后 %3</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ImpactPanel</name>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="+32"/>
        <source>Parameters removed</source>
        <translation>移除的参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KV cache saved</source>
        <translation>节省的 KV 缓存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Estimated decode speedup</source>
        <translation>估计解码加速</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Measured decode speedup</source>
        <translation>实测解码加速</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Held-out perplexity</source>
        <translation>留出文本困惑度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bytes a batch-1 decode step reads (kept weights + KV cache), full model ÷ with drops: the speedup a memory-bound GPU gives</source>
        <translation>批大小为 1 时每个解码步读取的字节数（保留的权重 + KV 缓存），完整模型 ÷ 丢弃后：即受内存带宽限制的 GPU 上的加速比</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (%2 %)</source>
        <translation>%1（%2 %）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 per token (%2 %)</source>
        <translation>每个 token %1（%2 %）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1× at %2 tokens of context</source>
        <translation>上下文 %2 个 token 时 %1×</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>measuring…</source>
        <translation>正在测量…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Decode tokens/s on %1 after %2 tokens of context, full model → plan: %3 → %4 (medians over %5 interleaved pairs of runs, each from its fastest step; the range is the speedup&apos;s 95 % interval)</source>
        <translation>在 %1 上、上下文为 %2 个 token 时的解码 token/秒，完整模型 → 方案：%3 → %4（%5 对交替运行的中位数，每次运行取其最快的一步；范围为加速比的 95 % 区间）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>1.00× (full model: %1 tokens/s on %2)</source>
        <translation>1.00×（完整模型：在 %2 上 %1 token/秒）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>too noisy to tell (%1–%2× over %3 pairs)</source>
        <translation>噪声太大，无法判断（%3 对运行：%1–%2×）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1× (%2–%3 over %4 pairs on %5)</source>
        <translation>%1×（在 %5 上 %4 对运行：%2–%3）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1× so far (%2 %3 on %4; measuring…)</source>
        <translation>目前 %1×（在 %4 上 %2 %3；正在测量…）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pair</source>
        <translation>对</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>pairs</source>
        <translation>对</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (full model %2, %3%4 %)</source>
        <translation>%1（完整模型 %2，%3%4 %）</translation>
    </message>
    <message>
        <location line="-8"/>
        <location line="+16"/>
        <source>not available: %1</source>
        <translation>不可用：%1</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ImportanceHeatmap</name>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="+199"/>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Block</source>
        <translation>模块</translation>
    </message>
    <message>
        <location line="-160"/>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>module</source>
        <translation>模块</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+71"/>
        <source>No importance scores yet</source>
        <translation>尚无重要性分数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>NLL increase</source>
        <translation>NLL 增量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>task NLL increase</source>
        <translation>任务 NLL 增量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KL divergence</source>
        <translation>KL 散度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JS divergence</source>
        <translation>JS 散度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last-token angle</source>
        <translation>末 token 角度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>angular distance</source>
        <translation>角距离</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 − cosine</source>
        <translation>1 − 余弦</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>dropped</source>
        <translation>已丢弃</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2: importance %3%4</source>
        <translation>%1 %2：重要性 %3%4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> (dropped)</source>
        <translation>（已丢弃）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Importance map</source>
        <translation>重要性图</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::JobManager</name>
    <message>
        <location filename="../widgets/job_manager.cpp" line="+54"/>
        <location line="+31"/>
        <location line="+2"/>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::JobsPanel</name>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="+27"/>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>done in %1 s</source>
        <translation>完成，用时 %1 秒</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <location line="-43"/>
        <location line="+44"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>started: %1</source>
        <translation>已开始：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>about %1 s left</source>
        <translation>约剩 %1 秒</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::LensGrid</name>
    <message>
        <location filename="../widgets/lens_grid.cpp" line="+25"/>
        <source>The capital of France is</source>
        <translation>The capital of France is</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+46"/>
        <source>Show lens</source>
        <translation>显示透镜</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>Predictions listed when hovering a cell</source>
        <translation>悬停在单元格上时列出的预测数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The lens is recomputed whenever the plan changes</source>
        <translation>方案每次变化时都会重新计算透镜</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>top</source>
        <translation>前</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The logit lens: the model&apos;s final norm and output head applied to the residual stream after each sub-layer, as if the model stopped there. Watch where the right answer first appears, and what a dropped module changes.</source>
        <translation>logit 透镜：将模型的最终归一化层和输出头应用于每个子层之后的残差流，就好像模型在那里停止。观察正确答案最先在哪里出现，以及丢弃的模块改变了什么。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type a prompt and show what the model would predict after every attention and MLP.</source>
        <translation>输入提示词，查看模型在每个注意力和 MLP 之后会预测什么。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 MLP</source>
        <translation>%1 MLP</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 attention</source>
        <translation>%1 注意力</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (dropped)</source>
        <translation>（已丢弃）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1  %2 %</source>
        <translation>%1  %2 %</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After %1, position %2 (%3):
%4</source>
        <translation>%1 之后，位置 %2（%3）：
%4</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Each cell: the next token the model would predict if it stopped after that sub-layer (final norm and head applied), shaded by its probability; hover for the top %1.</source>
        <translation>每个单元格：模型若在该子层之后停止（应用最终归一化和输出头）会预测的下一个 token，颜色深浅表示其概率；悬停可查看前 %1 个。</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ModelSummaryWidget</name>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="+14"/>
        <location line="+66"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Family</source>
        <translation>模型家族</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hidden / intermediate</source>
        <translation>隐藏层 / 中间层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heads / KV heads</source>
        <translation>注意力头 / KV 头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Computation</source>
        <translation>计算结构</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rotary embedding</source>
        <translation>旋转位置编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sliding window</source>
        <translation>滑动窗口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stored dtype</source>
        <translation>存储数据类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dropped modules</source>
        <translation>已丢弃模块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KV cache per token</source>
        <translation>每个 token 的 KV 缓存</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1, brought to the device one at a time (the model does not fit on it)</source>
        <translation>%1，逐层调入设备（模型无法整体放入）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 / %2 (head dim %3)</source>
        <translation>%1 / %2（头维度 %3）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (%2 of %3 layers)</source>
        <translation>%1（%3 层中的 %2 层）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (%2 without dropped modules)</source>
        <translation>%1（去除已丢弃模块后 %2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>attention: %1 · MLP: %2</source>
        <translation>注意力：%1 · MLP：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 in %2 (%3 without drops)</source>
        <translation>%1，%2（未丢弃时 %3）</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::PlotExport</name>
    <message>
        <location filename="../widgets/plots.cpp" line="+155"/>
        <source>unknown image format &apos;%1&apos; (use .png, .pdf or .svg)</source>
        <translation>未知图像格式 &apos;%1&apos;（请使用 .png、.pdf 或 .svg）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::SpeedPanel</name>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="+28"/>
        <source>Measure</source>
        <translation>测量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Prefill lengths, one round each</source>
        <translation>预填充长度，每个一轮</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contexts</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New tokens</source>
        <translation>新 token 数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>context (tokens)</source>
        <translation>上下文（token）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Prefill tok/s</source>
        <translation>预填充 token/秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decode tok/s</source>
        <translation>解码 token/秒</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KV cache MiB</source>
        <translation>KV 缓存 MiB</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Decode speedup</source>
        <translation>解码加速</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>contexts must be positive integers separated by commas, e.g. 32,64,128</source>
        <translation>上下文长度必须是用逗号分隔的正整数，例如 32,64,128</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>give at least one context length</source>
        <translation>请至少给出一个上下文长度</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Measuring…</source>
        <translation>正在测量…</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Measured 1 configuration</source>
        <translation>已测量 1 个配置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2 shown)</source>
        <translation>%1（显示 %2 个）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No measurements yet: press Measure</source>
        <translation>尚无测量结果：请点击“测量”</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No measurements yet</source>
        <translation>尚无测量结果</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+1"/>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>Measured %1 configurations</source>
        <translation>已测量 %1 个配置</translation>
    </message>
    <message>
        <location line="-106"/>
        <source>decode speed (tokens/s)</source>
        <translation>解码速度（token/秒）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>KV cache at the largest context (MiB)</source>
        <translation>最大上下文时的 KV 缓存（MiB）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <location line="+189"/>
        <source>Decode speed</source>
        <translation>解码速度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KV cache</source>
        <translation>KV 缓存</translation>
    </message>
</context>
<context>
    <name>llmdrop::workbench::MainWindow</name>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+81"/>
        <source>LLM-Drop Workbench</source>
        <translation>LLM-Drop 工作台</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_menus.cpp" line="+73"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>importance map</source>
        <translation>重要性图</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+42"/>
        <source>Open a Hugging Face model folder (File → Open model…)</source>
        <translation>打开一个 Hugging Face 模型文件夹（文件 → 打开模型…）</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_menus.cpp" line="-52"/>
        <source>Open a model folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+101"/>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open %1</source>
        <translation>打开 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/importance_map.cpp" line="+92"/>
        <source>the bundled calibration text was not found</source>
        <translation>未找到内置的校准文本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Score %1</source>
        <translation>评估 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+45"/>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/compare_tab.cpp" line="+22"/>
        <source>%1 · full</source>
        <translation>%1 · 完整</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Compare A and B</source>
        <translation>对比 A 与 B</translation>
    </message>
    <message>
        <location filename="../app/workbench/impact_tracker.cpp" line="+42"/>
        <source>Decode speed (%1)</source>
        <translation>解码速度（%1）</translation>
    </message>
    <message>
        <location filename="../app/workbench/compare_tab.cpp" line="-29"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../app/workbench/evaluation_tab.cpp" line="+38"/>
        <source>Evaluated %1 (%2)</source>
        <translation>已评测 %1（%2）</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="-188"/>
        <source>Evaluation</source>
        <translation>评测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_menus.cpp" line="+3"/>
        <source>Open &amp;project…</source>
        <translation>打开项目(&amp;P)…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Save project…</source>
        <translation>保存项目(&amp;S)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Export drop plan (config.json)…</source>
        <translation>导出丢弃方案(&amp;E)（config.json）…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Export &amp;pruned checkpoint…</source>
        <translation>导出剪枝后的检查点(&amp;P)…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Images (*.png *.pdf *.svg)</source>
        <translation>图像 (*.png *.pdf *.svg)</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>decode-speed plot</source>
        <translation>解码速度图</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>&amp;Calibration text…</source>
        <translation>校准文本(&amp;C)…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&amp;Evaluation page</source>
        <translation>评测页(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Speed page</source>
        <translation>速度页(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Compare page</source>
        <translation>对比页(&amp;C)</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>KV-cache plot</source>
        <translation>KV 缓存图</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>evaluation chart</source>
        <translation>评测图表</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export the %1 as an image…</source>
        <translation>将%1导出为图像…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export the %1</source>
        <translation>导出%1</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+6"/>
        <source>Cannot export the %1</source>
        <translation>无法导出%1</translation>
    </message>
    <message>
        <location line="-98"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_layout.cpp" line="+41"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_menus.cpp" line="+12"/>
        <source>&amp;Device</source>
        <translation>设备(&amp;D)</translation>
    </message>
    <message>
        <location line="+105"/>
        <location line="+3"/>
        <source>Cannot use %1</source>
        <translation>无法使用 %1</translation>
    </message>
    <message>
        <location line="-106"/>
        <source>&amp;Precision</source>
        <translation>精度(&amp;P)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Open a project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>LLM-Drop projects (*.llmdrop.json *.json)</source>
        <translation>LLM-Drop 项目 (*.llmdrop.json *.json)</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Save the project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LLM-Drop projects (*.llmdrop.json)</source>
        <translation>LLM-Drop 项目 (*.llmdrop.json)</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+18"/>
        <source>Cannot save the project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export a pruned checkpoint to a new folder</source>
        <translation>将剪枝后的检查点导出到新文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the drop plan to a new folder</source>
        <translation>将丢弃方案导出到新文件夹</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+86"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_menus.cpp" line="-14"/>
        <source>Cannot open project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+35"/>
        <source>Exporting to %1…</source>
        <translation>正在导出到 %1…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export %1</source>
        <translation>导出 %1</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The project&apos;s drop plan does not fit this model: %1</source>
        <translation>项目的丢弃方案与此模型不符：%1</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <location line="-155"/>
        <location line="+48"/>
        <source>Cannot change the plan</source>
        <translation>无法更改方案</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Lens</source>
        <translation>透镜</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heal</source>
        <translation>修复</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cannot show the metric</source>
        <translation>无法显示该度量</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot pin the plan</source>
        <translation>无法固定方案</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot compare</source>
        <translation>无法对比</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot measure the speed</source>
        <translation>无法测量速度</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot compute the logit lens</source>
        <translation>无法计算 logit 透镜</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot heal</source>
        <translation>无法修复</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+48"/>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <location line="-47"/>
        <location line="+6"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1:
%2</source>
        <translation>%1：
%2</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Cannot open project %1</source>
        <translation>无法打开项目 %1</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Opened %1: it does not fit on %2, so its layers stream one at a time (slower)</source>
        <translation>已打开 %1：它无法放入 %2，因此逐层流式加载（较慢）</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Cannot evaluate</source>
        <translation>无法评测</translation>
    </message>
    <message>
        <location filename="../app/workbench/compare_tab.cpp" line="+40"/>
        <location filename="../app/workbench/speed_tab.cpp" line="+42"/>
        <source>Measurement failed: %1</source>
        <translation>测量失败：%1</translation>
    </message>
    <message>
        <location filename="../app/workbench/importance_map.cpp" line="-53"/>
        <source>%1 × %2 tokens of %3</source>
        <translation>%3 中的 %1 × %2 个 token</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Computing the importance map on %1…</source>
        <translation>正在基于 %1 计算重要性图…</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>These scores have no %1 values: the map shows %2 (choose %1 to measure it)</source>
        <translation>这些分数没有 %1 值：图中显示的是 %2（选择 %1 即可测量）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Importance map of %1 on %2: click a cell to drop or restore that module</source>
        <translation>%1 基于 %2 的重要性图：点击单元格可丢弃或恢复该模块</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scored on %1 (Edit → Calibration text…)</source>
        <translation>基于 %1 评分（编辑 → 校准文本…）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Add %1 least important (%2, %3, %4)</source>
        <translation>添加 %1 个最不重要的（%2，%3，%4）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace the plan with the %1 least important (%2, %3, %4)</source>
        <translation>用 %1 个最不重要的替换方案（%2，%3，%4）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot drop: %1</source>
        <translation>无法丢弃：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../app/workbench/main_window.cpp" line="-218"/>
        <location line="+2"/>
        <source>Cannot drop</source>
        <translation>无法丢弃</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+96"/>
        <location line="+17"/>
        <location line="+2"/>
        <location filename="../app/workbench/window_menus.cpp" line="+10"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../app/workbench/evaluation_tab.cpp" line="+5"/>
        <source>Evaluation failed: %1</source>
        <translation>评测失败：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluation failed</source>
        <translation>评测失败</translation>
    </message>
    <message>
        <location filename="../app/workbench/importance_map.cpp" line="-38"/>
        <source>Cannot compute the importance map: %1</source>
        <translation>无法计算重要性图：%1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+17"/>
        <source>Cannot open %1</source>
        <translation>无法打开 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_menus.cpp" line="-15"/>
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location filename="../app/workbench/plan_history.cpp" line="+1"/>
        <source>Drop %1 %2</source>
        <translation>丢弃%1 %2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Restore %1 %2</source>
        <translation>恢复%1 %2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+58"/>
        <source>Jobs run on %1 in %2</source>
        <translation>任务在 %1 上以 %2 运行</translation>
    </message>
    <message>
        <location filename="../app/workbench/speed_tab.cpp" line="-10"/>
        <source>Measured already: change the plan or the rounds</source>
        <translation>已测量：请更改方案或轮次</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Speed of %1</source>
        <translation>%1 的速度</translation>
    </message>
    <message>
        <location filename="../app/workbench/compare_tab.cpp" line="-13"/>
        <location filename="../app/workbench/impact_tracker.cpp" line="-2"/>
        <source>the bundled held-out text was not found</source>
        <translation>未找到内置的留出文本</translation>
    </message>
    <message>
        <location filename="../app/workbench/impact_tracker.cpp" line="-8"/>
        <source>Held-out perplexity (%1)</source>
        <translation>留出文本困惑度（%1）</translation>
    </message>
    <message>
        <location filename="../app/workbench/plan_history.cpp" line="+9"/>
        <location filename="../app/workbench/speed_tab.cpp" line="-11"/>
        <location line="+2"/>
        <source>full</source>
        <translation>完整模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>attn %1</source>
        <translation>注意力 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mlp %1</source>
        <translation>MLP %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 dropped</source>
        <translation>已移除 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/evaluation_tab.cpp" line="-17"/>
        <source>Tick at least one task.</source>
        <translation>请至少勾选一个任务。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Evaluating %1 (%2)…</source>
        <translation>正在评测 %1（%2）…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluate %1</source>
        <translation>评测 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/calibration_dialog.cpp" line="+18"/>
        <location line="+6"/>
        <source>Calibration text</source>
        <translation>校准文本</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>the bundled held-out text</source>
        <translation>内置的留出文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON array or JSON Lines of {&quot;text&quot;: …} (LLM-Drop&apos;s c4_demo.json), or a .txt file</source>
        <translation>由 {&quot;text&quot;: …} 组成的 JSON 数组或 JSON Lines（LLM-Drop 的 c4_demo.json），或 .txt 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Text (*.json *.jsonl *.txt);;All files (*)</source>
        <translation>文本 (*.json *.jsonl *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source> tokens</source>
        <translation> 个 token</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blocks</source>
        <translation>文本块数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Block length</source>
        <translation>文本块长度</translation>
    </message>
    <message>
        <location filename="../app/workbench/close_guard.cpp" line="+25"/>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The drop plan or the evaluation results changed since the project was last saved. Save them as a project before closing?</source>
        <translation>自上次保存项目以来，丢弃方案或评测结果已更改。关闭前要将它们保存为项目吗？</translation>
    </message>
    <message>
        <location filename="../app/workbench/heal_tab.cpp" line="+19"/>
        <location filename="../app/workbench/lens_tab.cpp" line="+17"/>
        <source>Open a model first.</source>
        <translation>请先打开模型。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Drop something first: healing follows a drop.</source>
        <translation>请先丢弃一些模块：修复在丢弃之后进行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the training text first.</source>
        <translation>请先选择训练文本。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a new output folder first.</source>
        <translation>请先选择一个新的输出文件夹。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Healing %1…</source>
        <translation>正在修复 %1…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Healing %1</source>
        <translation>修复 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (resumed after step %1)</source>
        <translation>（从第 %1 步之后继续）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Healed %1%5: loss %2 → %3; wrote %4</source>
        <translation>已修复 %1%5：损失 %2 → %3；已写入 %4</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Healed %1</source>
        <translation>已修复 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot heal: %1</source>
        <translation>无法修复：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Healing cancelled: Heal with the same settings and folder continues it.</source>
        <translation>修复已取消：使用相同的设置和文件夹再次修复即可继续。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Training text</source>
        <translation>训练文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text (*.jsonl *.json *.txt);;All files (*)</source>
        <translation>文本 (*.jsonl *.json *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>New folder for the healed model</source>
        <translation>用于修复后模型的新文件夹</translation>
    </message>
    <message>
        <location filename="../app/workbench/help_menu.cpp" line="+30"/>
        <source>1. Open a Hugging Face model folder (File → Open model…); the bundled demo model opens at start.
2. The importance map is computed in the background: rows attention / MLP / block, one column per layer, brighter = more important.
3. Click a cell to drop or restore that module, or add the N least important modules to the plan (or replace the plan with them). Every change is undoable.
4. The Model panel shows the plan&apos;s impact: parameters, KV cache, the estimated and measured decode speedup, and the held-out perplexity.
5. Evaluate the plan on tasks (Evaluation), measure its speed (Speed), or pin it and compare it with another plan or model (Compare).
6. Save the session as a project, or export the plan as a config.json folder or a pruned checkpoint (File menu).</source>
        <translation>1. 打开一个 Hugging Face 模型文件夹（文件 → 打开模型…）；启动时会打开内置的演示模型。
2. 重要性图在后台计算：各行为注意力 / MLP / 模块，每层一列，越亮越重要。
3. 点击单元格可丢弃或恢复该模块，也可将 N 个最不重要的模块加入方案（或用它们替换方案）。每项更改都可撤销。
4. “模型”面板显示方案的影响：参数、KV 缓存、估计和实测的解码加速，以及留出文本困惑度。
5. 在任务上评测方案（评测），测量其速度（速度），或将其固定并与另一个方案或模型对比（对比）。
6. 将会话保存为项目，或将方案导出为 config.json 文件夹或剪枝后的检查点（文件菜单）。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 › %2: %3</source>
        <translation>%1 › %2：%3</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>LLM-Drop Workbench %1

Find and remove redundant attention layers, MLPs and blocks in language models: importance maps, drop plans, their impact, evaluation, speed and comparison.

Built with Qt %2.</source>
        <translation>LLM-Drop 工作台 %1

查找并移除语言模型中冗余的注意力层、MLP 和模块：重要性图、丢弃方案及其影响、评测、速度与对比。

基于 Qt %2 构建。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Workflow</source>
        <translation>工作流程(&amp;W)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workflow</source>
        <translation>工作流程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;About LLM-Drop Workbench</source>
        <translation>关于 LLM-Drop 工作台(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About LLM-Drop Workbench</source>
        <translation>关于 LLM-Drop 工作台</translation>
    </message>
    <message>
        <location filename="../app/workbench/lens_tab.cpp" line="+1"/>
        <source>Type a prompt first.</source>
        <translation>请先输入提示词。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Computing the logit lens (%1)…</source>
        <translation>正在计算 logit 透镜（%1）…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Logit lens of %1</source>
        <translation>%1 的 logit 透镜</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Logit lens shown (%1)</source>
        <translation>已显示 logit 透镜（%1）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot compute the logit lens: %1</source>
        <translation>无法计算 logit 透镜：%1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Type a prompt and show what the model would predict after every attention and MLP.</source>
        <translation>输入提示词，查看模型在每个注意力和 MLP 之后会预测什么。</translation>
    </message>
</context>
<context>
    <name>llmdrop::workbench::SessionController</name>
    <message>
        <location filename="../app/workbench/session_controller.cpp" line="+109"/>
        <source>Load %1 on %2 (%3)</source>
        <translation>在 %2 上加载 %1（%3）</translation>
    </message>
</context>
</TS>
