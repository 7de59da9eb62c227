<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="64"/>
        <source>attention</source>
        <translation>Attention</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="66"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="70"/>
        <source>block</source>
        <translation>Block</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::CompareView</name>
    <message>
        <location filename="../widgets/compare_view.cpp" line="32"/>
        <source>Pin the current plan as A</source>
        <translation>Aktuellen Plan als A festhalten</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="33"/>
        <source>Measure perplexity and generate</source>
        <translation>Perplexität messen und generieren</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="34"/>
        <source>Once upon a time</source>
        <translation>Es war einmal</translation>
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
        <translation>Entfernte Parameter</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="45"/>
        <source>KV cache saved</source>
        <translation>Eingesparter KV-Cache</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="46"/>
        <source>Estimated decode speedup</source>
        <translation>Geschätzte Decode-Beschleunigung</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="46"/>
        <source>Held-out perplexity</source>
        <translation>Perplexität (zurückgehaltener Text)</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="59"/>
        <source>Prompt</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="102"/>
        <source>A: %1</source>
        <translation>A: %1</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="102"/>
        <source>B (current): %1</source>
        <translation>B (aktuell): %1</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="104"/>
        <source>%1 (%2 %)</source>
        <translation>%1 (%2 %)</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="136"/>
        <source>A has %1 layers, B %2
A drops: attention %3, MLP %4
B drops: attention %5, MLP %6</source>
        <translation>A hat %1 Schichten, B %2
A entfernt: Attention %3, MLP %4
B entfernt: Attention %5, MLP %6</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="143"/>
        <source>Only A drops: attention %1, MLP %2
Only B drops: attention %3, MLP %4
Both drop: attention %5, MLP %6</source>
        <translation>Nur A entfernt: Attention %1, MLP %2
Nur B entfernt: Attention %3, MLP %4
Beide entfernen: Attention %5, MLP %6</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="152"/>
        <source>Measuring both plans…</source>
        <translation>Beide Pläne werden gemessen…</translation>
    </message>
    <message>
        <location filename="../widgets/compare_view.cpp" line="165"/>
        <source>B − A perplexity: %1</source>
        <translation>Perplexität B − A: %1</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::DropControl</name>
    <message>
        <location filename="../widgets/drop_control.cpp" line="17"/>
        <source>Drop</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="18"/>
        <source>cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="19"/>
        <source>angular</source>
        <translation>Winkel</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="20"/>
        <source>NLL increase (measured)</source>
        <translation>NLL-Anstieg (gemessen)</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="21"/>
        <source>attention layers</source>
        <translation>Attention-Schichten</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="22"/>
        <source>MLP layers</source>
        <translation>MLP-Schichten</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="23"/>
        <source>blocks</source>
        <translation>Blöcke</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="24"/>
        <source>attention or MLP (joint)</source>
        <translation>Attention oder MLP (gemeinsam)</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="25"/>
        <source>discrete (one scoring)</source>
        <translation>diskret (eine Bewertung)</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="26"/>
        <source>consecutive blocks</source>
        <translation>aufeinanderfolgende Blöcke</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="27"/>
        <source>iterative (re-score after each)</source>
        <translation>iterativ (nach jedem neu bewerten)</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="31"/>
        <source>Metric</source>
        <translation>Maß</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="36"/>
        <source>least important</source>
        <translation>unwichtigste</translation>
    </message>
    <message>
        <location filename="../widgets/drop_control.cpp" line="38"/>
        <source>by</source>
        <translation>nach</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::EvalPanel</name>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="30"/>
        <source>Evaluate</source>
        <translation>Auswerten</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="42"/>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="43"/>
        <source>Documents per task (per MMLU subject)</source>
        <translation>Dokumente je Aufgabe (je MMLU-Fach)</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="44"/>
        <source>folder holding arc_easy/, hellaswag/, …</source>
        <translation>Ordner mit arc_easy/, hellaswag/, …</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="46"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="49"/>
        <source>Evaluation data folder</source>
        <translation>Ordner der Auswertungsdaten</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="56"/>
        <source>Data folder</source>
        <translation>Datenordner</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="57"/>
        <source>Documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="66"/>
        <source>accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="111"/>
        <source>Evaluating…</source>
        <translation>Wird ausgewertet…</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="142"/>
        <source>%1 documents, %2 s</source>
        <translation>%1 Dokumente, %2 s</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="147"/>
        <source>Done in %1 s</source>
        <translation>Fertig in %1 s</translation>
    </message>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="256"/>
        <source>Evaluation</source>
        <translation>Auswertung</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ImpactPanel</name>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="28"/>
        <source>Parameters removed</source>
        <translation>Entfernte Parameter</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="29"/>
        <source>KV cache saved</source>
        <translation>Eingesparter KV-Cache</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="30"/>
        <source>Estimated decode speedup</source>
        <translation>Geschätzte Decode-Beschleunigung</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="31"/>
        <source>Measured decode speedup</source>
        <translation>Gemessene Decode-Beschleunigung</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="32"/>
        <source>Held-out perplexity</source>
        <translation>Perplexität (zurückgehaltener Text)</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="33"/>
        <source>Bytes a batch-1 decode step reads (kept weights + KV cache), full model ÷ with drops: the speedup a memory-bound GPU gives</source>
        <translation>Bytes, die ein Decode-Schritt mit Batch 1 liest (verbleibende Gewichte + KV-Cache), volles Modell ÷ mit Entfernungen: die Beschleunigung einer speichergebundenen GPU</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="40"/>
        <source>%1 (%2 %)</source>
        <translation>%1 (%2 %)</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="44"/>
        <source>%1 per token (%2 %)</source>
        <translation>%1 pro Token (%2 %)</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="48"/>
        <source>%1× at %2 tokens of context</source>
        <translation>%1× bei %2 Token Kontext</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="52"/>
        <source>measuring…</source>
        <translation>wird gemessen…</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="56"/>
        <source>%1× (%2 → %3 tokens/s on %4 after %5 tokens)</source>
        <translation>%1× (%2 → %3 Token/s auf %4 nach %5 Token)</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="69"/>
        <source>computing…</source>
        <translation>wird berechnet…</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="73"/>
        <source>%1 (full model %2, %3%4 %)</source>
        <translation>%1 (volles Modell %2, %3%4 %)</translation>
    </message>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="65"/>
        <location filename="../widgets/impact_panel.cpp" line="81"/>
        <source>not available: %1</source>
        <translation>nicht verfügbar: %1</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ImportanceHeatmap</name>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="25"/>
        <source>importance (1 − similarity)</source>
        <translation>Wichtigkeit (1 − Ähnlichkeit)</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="31"/>
        <location filename="../widgets/importance_heatmap.cpp" line="135"/>
        <source>Attention</source>
        <translation>Attention</translation>
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
        <translation>Block</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="35"/>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="80"/>
        <source>importance (NLL increase)</source>
        <translation>Wichtigkeit (NLL-Anstieg)</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="82"/>
        <source>importance (angular distance)</source>
        <translation>Wichtigkeit (Winkelabstand)</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="83"/>
        <source>importance (1 − cosine similarity)</source>
        <translation>Wichtigkeit (1 − Kosinus-Ähnlichkeit)</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="138"/>
        <source>dropped</source>
        <translation>entfernt</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="139"/>
        <source>%1 %2: importance %3%4</source>
        <translation>%1 %2: Wichtigkeit %3%4</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="142"/>
        <source> (dropped)</source>
        <translation> (entfernt)</translation>
    </message>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="150"/>
        <source>Importance map</source>
        <translation>Wichtigkeitskarte</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::JobManager</name>
    <message>
        <location filename="../widgets/job_manager.cpp" line="43"/>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::JobsPanel</name>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="25"/>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="25"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="25"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="39"/>
        <source>done in %1 s</source>
        <translation>fertig in %1 s</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="39"/>
        <source>finished</source>
        <translation>beendet</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="42"/>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="45"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="62"/>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="63"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="66"/>
        <source>cancelling…</source>
        <translation>wird abgebrochen…</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="70"/>
        <source>started: %1</source>
        <translation>gestartet: %1</translation>
    </message>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="83"/>
        <source>about %1 s left</source>
        <translation>noch etwa %1 s</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ModelSummaryWidget</name>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="14"/>
        <location filename="../widgets/model_summary_widget.cpp" line="73"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="36"/>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="37"/>
        <source>Family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="38"/>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="39"/>
        <source>Hidden / intermediate</source>
        <translation>Verborgen / Zwischenschicht</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="40"/>
        <source>Heads / KV heads</source>
        <translation>Köpfe / KV-Köpfe</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="41"/>
        <source>Vocabulary</source>
        <translation>Vokabular</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="42"/>
        <source>Rotary embedding</source>
        <translation>Rotations-Positionskodierung</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="43"/>
        <source>Sliding window</source>
        <translation>Gleitendes Fenster</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="44"/>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="45"/>
        <source>Stored dtype</source>
        <translation>Gespeicherter Datentyp</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="46"/>
        <source>Dropped modules</source>
        <translation>Entfernte Module</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="47"/>
        <source>KV cache per token</source>
        <translation>KV-Cache pro Token</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="70"/>
        <source>%1 / %2 (head dim %3)</source>
        <translation>%1 / %2 (Kopfdimension %3)</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="77"/>
        <source>%1 (%2 without dropped modules)</source>
        <translation>%1 (%2 ohne entfernte Module)</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="80"/>
        <source>attention: %1 · MLP: %2</source>
        <translation>Attention: %1 · MLP: %2</translation>
    </message>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="81"/>
        <source>%1 in %2 (%3 without drops)</source>
        <translation>%1 in %2 (%3 ohne Entfernungen)</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::PlotExport</name>
    <message>
        <location filename="../widgets/plots.cpp" line="48"/>
        <source>unknown image format &apos;%1&apos; (use .png, .pdf or .svg)</source>
        <translation>unbekanntes Bildformat &apos;%1&apos; (.png, .pdf oder .svg verwenden)</translation>
    </message>
    <message>
        <location filename="../widgets/plots.cpp" line="58"/>
        <source>cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::SpeedPanel</name>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="26"/>
        <source>Measure</source>
        <translation>Messen</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="27"/>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="34"/>
        <source>Prefill lengths, one round each</source>
        <translation>Prefill-Längen, je eine Runde</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="36"/>
        <source>Contexts</source>
        <translation>Kontexte</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="37"/>
        <source>New tokens</source>
        <translation>Neue Token</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="41"/>
        <source>context (tokens)</source>
        <translation>Kontext (Token)</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="42"/>
        <source>decode tokens/s</source>
        <translation>Decode-Token/s</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="45"/>
        <source>KV cache (MiB), largest context</source>
        <translation>KV-Cache (MiB), größter Kontext</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="47"/>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="47"/>
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="47"/>
        <source>Prefill tok/s</source>
        <translation>Prefill Token/s</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="48"/>
        <source>Decode tok/s</source>
        <translation>Decode Token/s</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="48"/>
        <source>KV cache MiB</source>
        <translation>KV-Cache MiB</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="48"/>
        <source>Decode speedup</source>
        <translation>Decode-Beschleunigung</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="76"/>
        <source>contexts must be positive integers separated by commas, e.g. 32,64,128</source>
        <translation>Kontexte müssen positive ganze Zahlen sein, durch Kommas getrennt, z. B. 32,64,128</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="82"/>
        <source>give at least one context length</source>
        <translation>mindestens eine Kontextlänge angeben</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="90"/>
        <source>Measuring…</source>
        <translation>Wird gemessen…</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="169"/>
        <location filename="../widgets/speed_panel.cpp" line="170"/>
        <source>out of memory</source>
        <translation>Speicher erschöpft</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="131"/>
        <source>Measured %1 configurations</source>
        <translation>%1 Konfigurationen gemessen</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="208"/>
        <source>Decode speed</source>
        <translation>Decode-Geschwindigkeit</translation>
    </message>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="209"/>
        <source>KV cache</source>
        <translation>KV-Cache</translation>
    </message>
</context>
<context>
    <name>llmdrop::workbench::MainWindow</name>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="95"/>
        <source>LLM-Drop Workbench</source>
        <translation>LLM-Drop Workbench</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="141"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="142"/>
        <source>&amp;Open model…</source>
        <translation>Modell &amp;öffnen…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="151"/>
        <source>importance map</source>
        <translation>Wichtigkeitskarte</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="172"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="187"/>
        <source>Open a Hugging Face model folder (File → Open model…)</source>
        <translation>Einen Hugging-Face-Modellordner öffnen (Datei → Modell öffnen…)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="211"/>
        <source>Open a model folder</source>
        <translation>Modellordner öffnen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="303"/>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="305"/>
        <source>Open %1</source>
        <translation>%1 öffnen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="340"/>
        <source>the bundled calibration text was not found</source>
        <translation>der mitgelieferte Kalibrierungstext wurde nicht gefunden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="346"/>
        <source>Computing the importance map…</source>
        <translation>Wichtigkeitskarte wird berechnet…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="347"/>
        <source>Score %1</source>
        <translation>%1 bewerten</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="381"/>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="399"/>
        <source>%1 · full</source>
        <translation>%1 · vollständig</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="405"/>
        <source>Importance map of %1: click a cell to drop or restore that module</source>
        <translation>Wichtigkeitskarte von %1: ein Klick auf eine Zelle entfernt das Modul oder stellt es wieder her</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="475"/>
        <source>Compare A and B</source>
        <translation>A und B vergleichen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="655"/>
        <source>Decode speed (%1)</source>
        <translation>Decode-Geschwindigkeit (%1)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="674"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="709"/>
        <source>Evaluated %1 (%2)</source>
        <translation>%1 ausgewertet (%2)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="122"/>
        <source>Evaluation</source>
        <translation>Auswertung</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="123"/>
        <source>Speed</source>
        <translation>Geschwindigkeit</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="124"/>
        <source>Compare</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="143"/>
        <source>Open &amp;project…</source>
        <translation>&amp;Projekt öffnen…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="144"/>
        <source>&amp;Save project…</source>
        <translation>Projekt &amp;speichern…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="146"/>
        <source>&amp;Export drop plan (config.json)…</source>
        <translation>Entfernungsplan &amp;exportieren (config.json)…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="147"/>
        <source>Export &amp;pruned checkpoint…</source>
        <translation>&amp;Beschnittenen Checkpoint exportieren…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="167"/>
        <source>Images (*.png *.pdf *.svg)</source>
        <translation>Bilder (*.png *.pdf *.svg)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="153"/>
        <source>decode-speed plot</source>
        <translation>Decode-Geschwindigkeitsdiagramm</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="157"/>
        <source>KV-cache plot</source>
        <translation>KV-Cache-Diagramm</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="161"/>
        <source>evaluation chart</source>
        <translation>Auswertungsdiagramm</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="165"/>
        <source>Export the %1 as an image…</source>
        <translation>%1 als Bild exportieren…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="166"/>
        <source>Export the %1</source>
        <translation>%1 exportieren</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="169"/>
        <source>Cannot export the %1</source>
        <translation>%1 kann nicht exportiert werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="173"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="174"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="176"/>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="179"/>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="183"/>
        <source>&amp;Device</source>
        <translation>&amp;Gerät</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="204"/>
        <source>Cannot use %1</source>
        <translation>%1 kann nicht verwendet werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="184"/>
        <source>&amp;Precision</source>
        <translation>&amp;Genauigkeit</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="185"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="216"/>
        <source>Open a project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="217"/>
        <source>LLM-Drop projects (*.llmdrop.json *.json)</source>
        <translation>LLM-Drop-Projekte (*.llmdrop.json *.json)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="223"/>
        <source>Save the project</source>
        <translation>Projekt speichern</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="224"/>
        <source>LLM-Drop projects (*.llmdrop.json)</source>
        <translation>LLM-Drop-Projekte (*.llmdrop.json)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="226"/>
        <source>Cannot save the project</source>
        <translation>Das Projekt kann nicht gespeichert werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="232"/>
        <source>Export a pruned checkpoint to a new folder</source>
        <translation>Beschnittenen Checkpoint in einen neuen Ordner exportieren</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="233"/>
        <source>Export the drop plan to a new folder</source>
        <translation>Entfernungsplan in einen neuen Ordner exportieren</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="250"/>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="263"/>
        <source>Cannot open project %1:
%2</source>
        <translation>Projekt %1 kann nicht geöffnet werden:
%2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="265"/>
        <source>Cannot open project</source>
        <translation>Projekt kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="277"/>
        <source>Exporting to %1…</source>
        <translation>Export nach %1…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="278"/>
        <source>Export %1</source>
        <translation>%1 exportieren</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="370"/>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="370"/>
        <source>The project&apos;s drop plan does not fit this model: %1</source>
        <translation>Der Entfernungsplan des Projekts passt nicht zu diesem Modell: %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="287"/>
        <source>Exported to %1</source>
        <translation>Nach %1 exportiert</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="739"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="494"/>
        <location filename="../app/workbench/main_window.cpp" line="538"/>
        <source>Measurement failed: %1</source>
        <translation>Messung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="569"/>
        <location filename="../app/workbench/main_window.cpp" line="584"/>
        <source>Cannot drop: %1</source>
        <translation>Entfernen nicht möglich: %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="570"/>
        <location filename="../app/workbench/main_window.cpp" line="585"/>
        <source>Cannot drop</source>
        <translation>Entfernen nicht möglich</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="291"/>
        <location filename="../app/workbench/main_window.cpp" line="293"/>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="714"/>
        <source>Evaluation failed: %1</source>
        <translation>Auswertung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="715"/>
        <source>Evaluation failed</source>
        <translation>Auswertung fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="353"/>
        <source>Cannot compute the importance map: %1</source>
        <translation>Die Wichtigkeitskarte kann nicht berechnet werden: %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="313"/>
        <source>Cannot open %1:
%2</source>
        <translation>%1 kann nicht geöffnet werden:
%2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="314"/>
        <source>Cannot open %1</source>
        <translation>%1 kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="316"/>
        <source>Cannot open model</source>
        <translation>Modell kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="412"/>
        <source>Drop %1 %2</source>
        <translation>%1 %2 entfernen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="412"/>
        <source>Restore %1 %2</source>
        <translation>%1 %2 wiederherstellen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="443"/>
        <source>Jobs run on %1 in %2</source>
        <translation>Aufträge laufen auf %1 in %2</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="521"/>
        <source>Measured already: change the plan or the rounds</source>
        <translation>Bereits gemessen: Plan oder Runden ändern</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="526"/>
        <source>Speed of %1</source>
        <translation>Geschwindigkeit von %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="547"/>
        <source>Drop %1 least important (%2, %3, %4)</source>
        <translation>Die %1 unwichtigsten entfernen (%2, %3, %4)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="465"/>
        <location filename="../app/workbench/main_window.cpp" line="611"/>
        <source>the bundled held-out text was not found</source>
        <translation>der mitgelieferte zurückgehaltene Text wurde nicht gefunden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="619"/>
        <source>Held-out perplexity (%1)</source>
        <translation>Perplexität auf zurückgehaltenem Text (%1)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="512"/>
        <location filename="../app/workbench/main_window.cpp" line="514"/>
        <location filename="../app/workbench/main_window.cpp" line="678"/>
        <source>full</source>
        <translation>vollständig</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="680"/>
        <source>attn %1</source>
        <translation>Attention %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="681"/>
        <source>mlp %1</source>
        <translation>MLP %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="682"/>
        <source>%1 dropped</source>
        <translation>%1 entfernt</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="690"/>
        <source>Tick at least one task.</source>
        <translation>Mindestens eine Aufgabe ankreuzen.</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="700"/>
        <source>Evaluating %1 (%2)…</source>
        <translation>%1 wird ausgewertet (%2)…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="701"/>
        <source>Evaluate %1</source>
        <translation>%1 auswerten</translation>
    </message>
</context>
</TS>
