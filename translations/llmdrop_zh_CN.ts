<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="64"/>
        <source>attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="66"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="70"/>
        <source>block</source>
        <translation>模块</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::CompareView</name>
    <message>
        <location filename="../widgets/compare_view.cpp" line="32"/>
        <source>Pin the current plan as A</source>
        <translation>将当前方案固定为 A</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="33"/>
        <source>Measure perplexity and generate</source>
        <translation>测量困惑度并生成</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="34"/>
        <source>Once upon a time</source>
        <translation>Once upon a time</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="44"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="44"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="45"/>
        <source>Parameters removed</source>
        <translation>移除的参数</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="45"/>
        <source>KV cache saved</source>
        <translation>节省的 KV 缓存</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="46"/>
        <source>Estimated decode speedup</source>
        <translation>估计解码加速</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="46"/>
        <source>Held-out perplexity</source>
        <translation>留出文本困惑度</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="59"/>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="102"/>
        <source>A: %1</source>
        <translation>A：%1</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="102"/>
        <source>B (current): %1</source>
        <translation>B（当前）：%1</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="104"/>
        <source>%1 (%2 %)</source>
        <translation>%1（%2 %）</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="136"/>
        <source>A has %1 layers, B %2
A drops: attention %3, MLP %4
B drops: attention %5, MLP %6</source>
        <translation>A 有 %1 层，B 有 %2 层
A 丢弃：注意力 %3，MLP %4
B 丢弃：注意力 %5，MLP %6</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="143"/>
        <source>Only A drops: attention %1, MLP %2
Only B drops: attention %3, MLP %4
Both drop: attention %5, MLP %6</source>
        <translation>仅 A 丢弃：注意力 %1，MLP %2
仅 B 丢弃：注意力 %3，MLP %4
两者都丢弃：注意力 %5，MLP %6</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="152"/>
        <source>Measuring both plans…</source>
        <translation>正在测量两个方案…</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="165"/>
        <source>B − A perplexity: %1</source>
        <translation>困惑度 B − A：%1</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::DropControl</name>
    <message>
        <location filename="../widgets/drop_control.cpp" line="17"/>
        <source>Drop</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="18"/>
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="19"/>
        <source>angular</source>
        <translation>角距离</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="20"/>
        <source>NLL increase (measured)</source>
        <translation>NLL 增量（实测）</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="21"/>
        <source>attention layers</source>
        <translation>注意力层</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="22"/>
        <source>MLP layers</source>
        <translation>MLP 层</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="23"/>
        <source>blocks</source>
        <translation>模块</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="24"/>
        <source>attention or MLP (joint)</source>
        <translation>注意力或 MLP（联合）</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="25"/>
        <source>discrete (one scoring)</source>
        <translation>离散（一次评分）</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="26"/>
        <source>consecutive blocks</source>
        <translation>连续模块</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="27"/>
        <source>iterative (re-score after each)</source>
        <translation>迭代（每次丢弃后重新评分）</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="31"/>
        <source>Metric</source>
        <translation>度量</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="36"/>
        <source>least important</source>
        <translation>个最不重要的</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="38"/>
        <source>by</source>
        <translation>策略</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::EvalPanel</name>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="30"/>
        <source>Evaluate</source>
        <translation>评测</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="42"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="43"/>
        <source>Documents per task (per MMLU subject)</source>
        <translation>每个任务的文档数（MMLU 按学科计）</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="44"/>
        <source>folder holding arc_easy/, hellaswag/, …</source>
        <translation>包含 arc_easy/、hellaswag/ 等的文件夹</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="46"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="49"/>
        <source>Evaluation data folder</source>
        <translation>评测数据文件夹</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="56"/>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="57"/>
        <source>Documents</source>
        <translation>文档数</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="66"/>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="111"/>
        <source>Evaluating…</source>
        <translation>正在评测…</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="142"/>
        <source>%1 documents, %2 s</source>
        <translation>%1 个文档，%2 秒</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="147"/>
        <source>Done in %1 s</source>
        <translation>完成，用时 %1 秒</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="256"/>
        <source>Evaluation</source>
        <translation>评测</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ImpactPanel</name>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="28"/>
        <source>Parameters removed</source>
        <translation>移除的参数</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="29"/>
        <source>KV cache saved</source>
        <translation>节省的 KV 缓存</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="30"/>
        <source>Estimated decode speedup</source>
        <translation>估计解码加速</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="31"/>
        <source>Measured decode speedup</source>
        <translation>实测解码加速</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="32"/>
        <source>Held-out perplexity</source>
        <translation>留出文本困惑度</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="33"/>
        <source>Bytes a batch-1 decode step reads (kept weights + KV cache), full model ÷ with drops: the speedup a memory-bound GPU gives</source>
        <translation>批大小为 1 时每个解码步读取的字节数（保留的权重 + KV 缓存），完整模型 ÷ 丢弃后：即受内存带宽限制的 GPU 上的加速比</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="40"/>
        <source>%1 (%2 %)</source>
        <translation>%1（%2 %）</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="44"/>
        <source>%1 per token (%2 %)</source>
        <translation>每个 token %1（%2 %）</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="48"/>
        <source>%1× at %2 tokens of context</source>
        <translation>上下文 %2 个 token 时 %1×</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="52"/>
        <source>measuring…</source>
        <translation>正在测量…</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="56"/>
        <source>%1× (%2 → %3 tokens/s on %4 after %5 tokens)</source>
        <translation>%1×（%2 → %3 token/秒，%4，上下文 %5 个 token）</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="69"/>
        <source>computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="73"/>
        <source>%1 (full model %2, %3%4 %)</source>
        <translation>%1（完整模型 %2，%3%4 %）</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="65"/>
        <location filename="../widgets/impact_panel.cpp" line="81"/>
        <source>not available: %1</source>
        <translation>不可用：%1</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ImportanceHeatmap</name>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="25"/>
        <source>importance (1 − similarity)</source>
        <translation>重要性（1 − 相似度）</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="31"/>
        <location filename="../widgets/importance_heatmap.cpp" line="135"/>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="32"/>
        <location filename="../widgets/importance_heatmap.cpp" line="136"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="33"/>
        <location filename="../widgets/importance_heatmap.cpp" line="137"/>
        <source>Block</source>
        <translation>模块</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="35"/>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="80"/>
        <source>importance (NLL increase)</source>
        <translation>重要性（NLL 增量）</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="82"/>
        <source>importance (angular distance)</source>
        <translation>重要性（角距离）</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="83"/>
        <source>importance (1 − cosine similarity)</source>
        <translation>重要性（1 − 余弦相似度）</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="138"/>
        <source>dropped</source>
        <translation>已丢弃</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="139"/>
        <source>%1 %2: importance %3%4</source>
        <translation>%1 %2：重要性 %3%4</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="142"/>
        <source> (dropped)</source>
        <translation>（已丢弃）</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="150"/>
        <source>Importance map</source>
        <translation>重要性图</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::JobManager</name>
    <message>
        <location filename="../widgets/job_manager.cpp" line="43"/>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::JobsPanel</name>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="25"/>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="25"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="25"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="39"/>
        <source>done in %1 s</source>
        <translation>完成，用时 %1 秒</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="39"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="42"/>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="45"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="62"/>
        <source>starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="63"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="66"/>
        <source>cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="70"/>
        <source>started: %1</source>
        <translation>已开始：%1</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="83"/>
        <source>about %1 s left</source>
        <translation>约剩 %1 秒</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ModelSummaryWidget</name>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="14"/>
        <location filename="../widgets/model_summary_widget.cpp" line="73"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="36"/>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="37"/>
        <source>Family</source>
        <translation>模型家族</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="38"/>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="39"/>
        <source>Hidden / intermediate</source>
        <translation>隐藏层 / 中间层</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="40"/>
        <source>Heads / KV heads</source>
        <translation>注意力头 / KV 头</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="41"/>
        <source>Vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="42"/>
        <source>Rotary embedding</source>
        <translation>旋转位置编码</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="43"/>
        <source>Sliding window</source>
        <translation>滑动窗口</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="44"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="45"/>
        <source>Stored dtype</source>
        <translation>存储数据类型</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="46"/>
        <source>Dropped modules</source>
        <translation>已丢弃模块</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="47"/>
        <source>KV cache per token</source>
        <translation>每个 token 的 KV 缓存</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="70"/>
        <source>%1 / %2 (head dim %3)</source>
        <translation>%1 / %2（头维度 %3）</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="77"/>
        <source>%1 (%2 without dropped modules)</source>
        <translation>%1（去除已丢弃模块后 %2）</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="80"/>
        <source>attention: %1 · MLP: %2</source>
        <translation>注意力：%1 · MLP：%2</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="81"/>
        <source>%1 in %2 (%3 without drops)</source>
        <translation>%1，%2（未丢弃时 %3）</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::PlotExport</name>
    <message>
        <location filename="../widgets/plots.cpp" line="48"/>
        <source>unknown image format &apos;%1&apos; (use .png, .pdf or .svg)</source>
        <translation>未知图像格式 &apos;%1&apos;（请使用 .png、.pdf 或 .svg）</translation>
    </message>
    <message>
        <location filename="../widgets/plots.cpp" line="58"/>
        <source>cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::SpeedPanel</name>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="26"/>
        <source>Measure</source>
        <translation>测量</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="27"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="34"/>
        <source>Prefill lengths, one round each</source>
        <translation>预填充长度，每个一轮</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="36"/>
        <source>Contexts</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="37"/>
        <source>New tokens</source>
        <translation>新 token 数</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="41"/>
        <source>context (tokens)</source>
        <translation>上下文（token）</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="42"/>
        <source>decode tokens/s</source>
        <translation>解码 token/秒</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="45"/>
        <source>KV cache (MiB), largest context</source>
        <translation>KV 缓存（MiB），最大上下文</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="47"/>
        <source>Configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="47"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="47"/>
        <source>Prefill tok/s</source>
        <translation>预填充 token/秒</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="48"/>
        <source>Decode tok/s</source>
        <translation>解码 token/秒</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="48"/>
        <source>KV cache MiB</source>
        <translation>KV 缓存 MiB</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="48"/>
        <source>Decode speedup</source>
        <translation>解码加速</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="76"/>
        <source>contexts must be positive integers separated by commas, e.g. 32,64,128</source>
        <translation>上下文长度必须是用逗号分隔的正整数，例如 32,64,128</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="82"/>
        <source>give at least one context length</source>
        <translation>请至少给出一个上下文长度</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="90"/>
        <source>Measuring…</source>
        <translation>正在测量…</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="169"/>
        <location filename="../widgets/speed_panel.cpp" line="170"/>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="131"/>
        <source>Measured %1 configurations</source>
        <translation>已测量 %1 个配置</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="208"/>
        <source>Decode speed</source>
        <translation>解码速度</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="209"/>
        <source>KV cache</source>
        <translation>KV 缓存</translation>
    </message>
</context>
<context>
    <name>llmdrop::workbench::MainWindow</name>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="95"/>
        <source>LLM-Drop Workbench</source>
        <translation>LLM-Drop 工作台</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="141"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="142"/>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="151"/>
        <source>importance map</source>
        <translation>重要性图</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="172"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="187"/>
        <source>Open a Hugging Face model folder (File → Open model…)</source>
        <translation>打开一个 Hugging Face 模型文件夹（文件 → 打开模型…）</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="211"/>
        <source>Open a model folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="303"/>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="305"/>
        <source>Open %1</source>
        <translation>打开 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="340"/>
        <source>the bundled calibration text was not found</source>
        <translation>未找到内置的校准文本</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="346"/>
        <source>Computing the importance map…</source>
        <translation>正在计算重要性图…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="347"/>
        <source>Score %1</source>
        <translation>评估 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="381"/>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="399"/>
        <source>%1 · full</source>
        <translation>%1 · 完整</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="405"/>
        <source>Importance map of %1: click a cell to drop or restore that module</source>
        <translation>%1 的重要性图：点击单元格以丢弃或恢复该模块</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="475"/>
        <source>Compare A and B</source>
        <translation>对比 A 与 B</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="655"/>
        <source>Decode speed (%1)</source>
        <translation>解码速度（%1）</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="674"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="709"/>
        <source>Evaluated %1 (%2)</source>
        <translation>已评测 %1（%2）</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="122"/>
        <source>Evaluation</source>
        <translation>评测</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="123"/>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="124"/>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="143"/>
        <source>Open &amp;project…</source>
        <translation>打开项目(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="144"/>
        <source>&amp;Save project…</source>
        <translation>保存项目(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="146"/>
        <source>&amp;Export drop plan (config.json)…</source>
        <translation>导出丢弃方案(&amp;E)（config.json）…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="147"/>
        <source>Export &amp;pruned checkpoint…</source>
        <translation>导出剪枝后的检查点(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="167"/>
        <source>Images (*.png *.pdf *.svg)</source>
        <translation>图像 (*.png *.pdf *.svg)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="153"/>
        <source>decode-speed plot</source>
        <translation>解码速度图</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="157"/>
        <source>KV-cache plot</source>
        <translation>KV 缓存图</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="161"/>
        <source>evaluation chart</source>
        <translation>评测图表</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="165"/>
        <source>Export the %1 as an image…</source>
        <translation>将%1导出为图像…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="166"/>
        <source>Export the %1</source>
        <translation>导出%1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="169"/>
        <source>Cannot export the %1</source>
        <translation>无法导出%1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="173"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="174"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="176"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="179"/>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="183"/>
        <source>&amp;Device</source>
        <translation>设备(&amp;D)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="204"/>
        <source>Cannot use %1</source>
        <translation>无法使用 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="184"/>
        <source>&amp;Precision</source>
        <translation>精度(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="185"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="216"/>
        <source>Open a project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="217"/>
        <source>LLM-Drop projects (*.llmdrop.json *.json)</source>
        <translation>LLM-Drop 项目 (*.llmdrop.json *.json)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="223"/>
        <source>Save the project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="224"/>
        <source>LLM-Drop projects (*.llmdrop.json)</source>
        <translation>LLM-Drop 项目 (*.llmdrop.json)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="226"/>
        <source>Cannot save the project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="232"/>
        <source>Export a pruned checkpoint to a new folder</source>
        <translation>将剪枝后的检查点导出到新文件夹</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="233"/>
        <source>Export the drop plan to a new folder</source>
        <translation>将丢弃方案导出到新文件夹</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="250"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="263"/>
        <source>Cannot open project %1:
%2</source>
        <translation>无法打开项目 %1：
%2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="265"/>
        <source>Cannot open project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="277"/>
        <source>Exporting to %1…</source>
        <translation>正在导出到 %1…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="278"/>
        <source>Export %1</source>
        <translation>导出 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="370"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="370"/>
        <source>The project&apos;s drop plan does not fit this model: %1</source>
        <translation>项目的丢弃方案与此模型不符：%1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="287"/>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="739"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="494"/>
        <location filename="../app/workbench/main_window.cpp" line="538"/>
        <source>Measurement failed: %1</source>
        <translation>测量失败：%1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="569"/>
        <location filename="../app/workbench/main_window.cpp" line="584"/>
        <source>Cannot drop: %1</source>
        <translation>无法丢弃：%1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="570"/>
        <location filename="../app/workbench/main_window.cpp" line="585"/>
        <source>Cannot drop</source>
        <translation>无法丢弃</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="291"/>
        <location filename="../app/workbench/main_window.cpp" line="293"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="714"/>
        <source>Evaluation failed: %1</source>
        <translation>评测失败：%1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="715"/>
        <source>Evaluation failed</source>
        <translation>评测失败</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="353"/>
        <source>Cannot compute the importance map: %1</source>
        <translation>无法计算重要性图：%1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="313"/>
        <source>Cannot open %1:
%2</source>
        <translation>无法打开 %1：
%2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="314"/>
        <source>Cannot open %1</source>
        <translation>无法打开 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="316"/>
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="412"/>
        <source>Drop %1 %2</source>
        <translation>丢弃%1 %2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="412"/>
        <source>Restore %1 %2</source>
        <translation>恢复%1 %2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="443"/>
        <source>Jobs run on %1 in %2</source>
        <translation>任务在 %1 上以 %2 运行</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="521"/>
        <source>Measured already: change the plan or the rounds</source>
        <translation>已测量：请更改方案或轮次</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="526"/>
        <source>Speed of %1</source>
        <translation>%1 的速度</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="547"/>
        <source>Drop %1 least important (%2, %3, %4)</source>
        <translation>丢弃 %1 个最不重要的（%2，%3，%4）</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="465"/>
        <location filename="../app/workbench/main_window.cpp" line="611"/>
        <source>the bundled held-out text was not found</source>
        <translation>未找到内置的留出文本</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="619"/>
        <source>Held-out perplexity (%1)</source>
        <translation>留出文本困惑度（%1）</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="512"/>
        <location filename="../app/workbench/main_window.cpp" line="514"/>
        <location filename="../app/workbench/main_window.cpp" line="678"/>
        <source>full</source>
        <translation>完整模型</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="680"/>
        <source>attn %1</source>
        <translation>注意力 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="681"/>
        <source>mlp %1</source>
        <translation>MLP %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="682"/>
        <source>%1 dropped</source>
        <translation>已移除 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="690"/>
        <source>Tick at least one task.</source>
        <translation>请至少勾选一个任务。</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="700"/>
        <source>Evaluating %1 (%2)…</source>
        <translation>正在评测 %1（%2）…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="701"/>
        <source>Evaluate %1</source>
        <translation>评测 %1</translation>
    </message>
</context>
</TS>
