<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>llmdrop::widgets::ModelSummaryWidget</name>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="14"/>
        <location filename="../widgets/model_summary_widget.cpp" line="70"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="33"/>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="34"/>
        <source>Family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="35"/>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="36"/>
        <source>Hidden / intermediate</source>
        <translation>Verborgen / Zwischenschicht</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="37"/>
        <source>Heads / KV heads</source>
        <translation>Köpfe / KV-Köpfe</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="38"/>
        <source>Vocabulary</source>
        <translation>Vokabular</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="39"/>
        <source>Rotary embedding</source>
        <translation>Rotations-Positionskodierung</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="40"/>
        <source>Sliding window</source>
        <translation>Gleitendes Fenster</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="41"/>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="42"/>
        <source>Stored dtype</source>
        <translation>Gespeicherter Datentyp</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="43"/>
        <source>Dropped modules</source>
        <translation>Entfernte Module</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="44"/>
        <source>KV cache per token</source>
        <translation>KV-Cache pro Token</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="67"/>
        <source>%1 / %2 (head dim %3)</source>
        <translation>%1 / %2 (Kopfdimension %3)</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="73"/>
        <source>%1 (%2 without dropped modules)</source>
        <translation>%1 (%2 ohne entfernte Module)</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="76"/>
        <source>attention: %1 · MLP: %2</source>
        <translation>Attention: %1 · MLP: %2</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="77"/>
        <source>%1 in %2 (%3 without drops)</source>
        <translation>%1 in %2 (%3 ohne Entfernungen)</translation>
    </message>
</context>
<context>
    <name>llmdrop::workbench::MainWindow</name>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="16"/>
        <source>LLM-Drop Workbench</source>
        <translation>LLM-Drop Workbench</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="19"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="20"/>
        <source>&amp;Open model…</source>
        <translation>Modell &amp;öffnen…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="22"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="24"/>
        <source>Open a Hugging Face model folder (File → Open model…)</source>
        <translation>Einen Hugging-Face-Modellordner öffnen (Datei → Modell öffnen…)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="29"/>
        <source>Open a model folder</source>
        <translation>Modellordner öffnen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="36"/>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="51"/>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="55"/>
        <source>Cannot open %1:
%2</source>
        <translation>%1 kann nicht geöffnet werden:
%2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="56"/>
        <source>Cannot open %1</source>
        <translation>%1 kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="58"/>
        <source>Cannot open model</source>
        <translation>Modell kann nicht geöffnet werden</translation>
    </message>
</context>
</TS>
