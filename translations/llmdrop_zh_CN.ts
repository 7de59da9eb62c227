<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>llmdrop::widgets::ModelSummaryWidget</name>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="14"/>
        <location filename="../widgets/model_summary_widget.cpp" line="70"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="33"/>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="34"/>
        <source>Family</source>
        <translation>模型家族</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="35"/>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="36"/>
        <source>Hidden / intermediate</source>
        <translation>隐藏层 / 中间层</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="37"/>
        <source>Heads / KV heads</source>
        <translation>注意力头 / KV 头</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="38"/>
        <source>Vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="39"/>
        <source>Rotary embedding</source>
        <translation>旋转位置编码</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="40"/>
        <source>Sliding window</source>
        <translation>滑动窗口</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="41"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="42"/>
        <source>Stored dtype</source>
        <translation>存储数据类型</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="43"/>
        <source>Dropped modules</source>
        <translation>已丢弃模块</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="44"/>
        <source>KV cache per token</source>
        <translation>每个 token 的 KV 缓存</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="67"/>
        <source>%1 / %2 (head dim %3)</source>
        <translation>%1 / %2（头维度 %3）</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="73"/>
        <source>%1 (%2 without dropped modules)</source>
        <translation>%1（去除已丢弃模块后 %2）</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="76"/>
        <source>attention: %1 · MLP: %2</source>
        <translation>注意力：%1 · MLP：%2</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="77"/>
        <source>%1 in %2 (%3 without drops)</source>
        <translation>%1，%2（未丢弃时 %3）</translation>
    </message>
</context>
<context>
    <name>llmdrop::workbench::MainWindow</name>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="16"/>
        <source>LLM-Drop Workbench</source>
        <translation>LLM-Drop 工作台</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="19"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="20"/>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="22"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="24"/>
        <source>Open a Hugging Face model folder (File → Open model…)</source>
        <translation>打开一个 Hugging Face 模型文件夹（文件 → 打开模型…）</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="29"/>
        <source>Open a model folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="36"/>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="51"/>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="55"/>
        <source>Cannot open %1:
%2</source>
        <translation>无法打开 %1：
%2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="56"/>
        <source>Cannot open %1</source>
        <translation>无法打开 %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="58"/>
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
</context>
</TS>
