<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>llmdrop::widgets::EvalPanel</name>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="26"/>
        <source>Evaluate</source>
        <translation>评测</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="37"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="38"/>
        <source>Documents per task (per MMLU subject)</source>
        <translation>每个任务的文档数（MMLU 按学科计）</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="39"/>
        <source>folder holding arc_easy/, hellaswag/, …</source>
        <translation>包含 arc_easy/、hellaswag/ 等的文件夹</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="41"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="44"/>
        <source>Evaluation data folder</source>
        <translation>评测数据文件夹</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="51"/>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="52"/>
        <source>Documents</source>
        <translation>文档数</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="95"/>
        <source>Evaluating…</source>
        <translation>正在评测…</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="126"/>
        <source>%1 documents, %2 s</source>
        <translation>%1 个文档，%2 秒</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="130"/>
        <source>Done in %1 s</source>
        <translation>完成，用时 %1 秒</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ImportanceHeatmap</name>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="23"/>
        <source>importance (1 − similarity)</source>
        <translation>重要性（1 − 相似度）</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="29"/>
        <location filename="../widgets/importance_heatmap.cpp" line="133"/>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="30"/>
        <location filename="../widgets/importance_heatmap.cpp" line="134"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="31"/>
        <location filename="../widgets/importance_heatmap.cpp" line="135"/>
        <source>Block</source>
        <translation>模块</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="33"/>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="78"/>
        <source>importance (NLL increase)</source>
        <translation>重要性（NLL 增量）</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="80"/>
        <source>importance (angular distance)</source>
        <translation>重要性（角距离）</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="81"/>
        <source>importance (1 − cosine similarity)</source>
        <translation>重要性（1 − 余弦相似度）</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="136"/>
        <source>dropped</source>
        <translation>已丢弃</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="137"/>
        <source>%1 %2: importance %3%4</source>
        <translation>%1 %2：重要性 %3%4</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="140"/>
        <source> (dropped)</source>
        <translation>（已丢弃）</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::JobManager</name>
    <message>
        <location filename="../widgets/job_manager.cpp" line="40"/>
        <source>unknown error</source>
        <translation>未知错误</translation>
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
    <name>llmdrop::workbench::MainWindow</name>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="27"/>
        <source>LLM-Drop Workbench</source>
        <translation>LLM-Drop 工作台</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="42"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="43"/>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="45"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="48"/>
        <source>Open a Hugging Face model folder (File → Open model…)</source>
        <translation>打开一个 Hugging Face 模型文件夹（文件 → 打开模型…）</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="53"/>
        <source>Open a model folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="62"/>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="64"/>
        <source>Open %1</source>
        <translation>打开 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="73"/>
        <source>the bundled calibration text was not found</source>
        <translation>未找到内置的校准文本</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="83"/>
        <source>Computing the importance map…</source>
        <translation>正在计算重要性图…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="84"/>
        <source>Score %1</source>
        <translation>评估 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="96"/>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="105"/>
        <source>Importance map of %1: click a cell to drop or restore that module</source>
        <translation>%1 的重要性图：点击单元格以丢弃或恢复该模块</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="111"/>
        <source>Evaluated %1 (%2)</source>
        <translation>已评测 %1（%2）</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="120"/>
        <source>Evaluation failed: %1</source>
        <translation>评测失败：%1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="121"/>
        <source>Evaluation failed</source>
        <translation>评测失败</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="127"/>
        <source>Cannot compute the importance map: %1</source>
        <translation>无法计算重要性图：%1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="133"/>
        <source>Cannot open %1:
%2</source>
        <translation>无法打开 %1：
%2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="134"/>
        <source>Cannot open %1</source>
        <translation>无法打开 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="136"/>
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="146"/>
        <source>full</source>
        <translation>完整模型</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="148"/>
        <source>attn %1</source>
        <translation>注意力 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="149"/>
        <source>mlp %1</source>
        <translation>MLP %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="150"/>
        <source>%1 dropped</source>
        <translation>已移除 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="158"/>
        <source>Tick at least one task.</source>
        <translation>请至少勾选一个任务。</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="168"/>
        <source>Evaluating %1 (%2)…</source>
        <translation>正在评测 %1（%2）…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="170"/>
        <source>Evaluate %1</source>
        <translation>评测 %1</translation>
    </message>
</context>
</TS>
