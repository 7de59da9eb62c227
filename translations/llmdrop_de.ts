<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/workbench/plan_history.cpp" line="+39"/>
        <source>attention</source>
        <translation>Attention</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>block</source>
        <translation>Block</translation>
    </message>
    <message>
        <location filename="../app/workbench/importance_map.cpp" line="+21"/>
        <source>angular distance</source>
        <translation>Winkelabstand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>NLL increase</source>
        <translation>NLL-Anstieg</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>KL divergence</source>
        <translation>KL-Divergenz</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>JS divergence</source>
        <translation>JS-Divergenz</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>last-token angular distance</source>
        <translation>Winkelabstand am letzten Token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>task NLL increase</source>
        <translation>Aufgaben-NLL-Anstieg</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cosine similarity</source>
        <translation>Kosinus-Ähnlichkeit</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::CompareView</name>
    <message>
        <location filename="../widgets/compare_view.cpp" line="+33"/>
        <source>Pin the current plan as A</source>
        <translation>Aktuellen Plan als A festhalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Measure perplexity and generate</source>
        <translation>Perplexität messen und generieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Once upon a time</source>
        <translation>Es war einmal</translation>
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
        <translation>Entfernte Parameter</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KV cache saved</source>
        <translation>Eingesparter KV-Cache</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Estimated decode speedup</source>
        <translation>Geschätzte Decode-Beschleunigung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Held-out perplexity</source>
        <translation>Perplexität (zurückgehaltener Text)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Prompt</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>A: %1</source>
        <translation>A: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>B (current): %1</source>
        <translation>B (aktuell): %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2 %)</source>
        <translation>%1 (%2 %)</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>A has %1 layers, B %2
A drops: attention %3, MLP %4
B drops: attention %5, MLP %6</source>
        <translation>A hat %1 Schichten, B %2
A entfernt: Attention %3, MLP %4
B entfernt: Attention %5, MLP %6</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Only A drops: attention %1, MLP %2
Only B drops: attention %3, MLP %4
Both drop: attention %5, MLP %6</source>
        <translation>Nur A entfernt: Attention %1, MLP %2
Nur B entfernt: Attention %3, MLP %4
Beide entfernen: Attention %5, MLP %6</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Measuring both plans…</source>
        <translation>Beide Pläne werden gemessen…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>B − A perplexity: %1</source>
        <translation>Perplexität B − A: %1</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::DropControl</name>
    <message>
        <location filename="../widgets/drop_control.cpp" line="+29"/>
        <source>Add to plan</source>
        <translation>Zum Plan hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace plan</source>
        <translation>Plan ersetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>angular</source>
        <translation>Winkel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NLL increase (measured)</source>
        <translation>NLL-Anstieg (gemessen)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KL divergence (measured)</source>
        <translation>KL-Divergenz (gemessen)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JS divergence (measured)</source>
        <translation>JS-Divergenz (gemessen)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last-token angle (blocks)</source>
        <translation>Winkel am letzten Token (Blöcke)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>task NLL increase (measured)</source>
        <translation>Aufgaben-NLL-Anstieg (gemessen)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How alike a module&apos;s input and output are (LLM-Drop): a module that barely changes the residual stream is redundant.</source>
        <translation>Wie ähnlich Ein- und Ausgabe eines Moduls sind (LLM-Drop): Ein Modul, das den Residualstrom kaum verändert, ist redundant.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The same comparison as an angle (arccos(cos)/π, ShortGPT): 0 for no change, 1 for the opposite direction.</source>
        <translation>Derselbe Vergleich als Winkel (arccos(cos)/π, ShortGPT): 0 für keine Änderung, 1 für die entgegengesetzte Richtung.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Leave the module out and measure how much worse the model predicts the next token (mean NLL).</source>
        <translation>Das Modul weglassen und messen, wie viel schlechter das Modell das nächste Token vorhersagt (mittlere NLL).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leave the module out and measure how far the predicted next-token distribution moves (FinerCut&apos;s KL divergence).</source>
        <translation>Das Modul weglassen und messen, wie weit sich die vorhergesagte Verteilung des nächsten Tokens verschiebt (KL-Divergenz nach FinerCut).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>As KL, but symmetric and bounded by ln 2 (Jensen–Shannon divergence).</source>
        <translation>Wie KL, aber symmetrisch und durch ln 2 beschränkt (Jensen-Shannon-Divergenz).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The angle between the states before and after a span of blocks, on each text&apos;s last token only (Gromov et al.): the span whose ends point the same way can go. Blocks only.</source>
        <translation>Der Winkel zwischen den Zuständen vor und nach einer Folge von Blöcken, nur am letzten Token jedes Texts (Gromov et al.): Die Folge, deren Enden in dieselbe Richtung zeigen, kann weg. Nur für Blöcke.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Leave the module out and measure how much worse the model finds each task&apos;s correct answers (mean NLL per answer token): which layers matter for which task, one set of rows per task.</source>
        <translation>Das Modul weglassen und messen, wie viel schlechter das Modell die richtigen Antworten jeder Aufgabe bewertet (mittlere NLL je Antwort-Token): welche Schichten für welche Aufgabe zählen, ein Satz Zeilen je Aufgabe.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>attention layers</source>
        <translation>Attention-Schichten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MLP layers</source>
        <translation>MLP-Schichten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>blocks</source>
        <translation>Blöcke</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>attention or MLP (joint)</source>
        <translation>Attention oder MLP (gemeinsam)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>discrete (one scoring)</source>
        <translation>diskret (eine Bewertung)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>consecutive blocks</source>
        <translation>aufeinanderfolgende Blöcke</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>iterative (re-score after each)</source>
        <translation>iterativ (nach jedem neu bewerten)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Drop the N least important modules as well as those the plan drops already</source>
        <translation>Die N unwichtigsten Module zusätzlich zu den bereits im Plan entfernten entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make the plan exactly the N least important modules</source>
        <translation>Den Plan genau aus den N unwichtigsten Modulen bilden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comma-separated task names (Evaluation tab&apos;s data folder)</source>
        <translation>Kommagetrennte Aufgabennamen (Datenordner des Reiters Auswertung)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documents per task (each MMLU subject)</source>
        <translation>Dokumente je Aufgabe (jedes MMLU-Fach)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>tasks</source>
        <translation>Aufgaben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Metric</source>
        <translation>Maß</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>least important</source>
        <translation>unwichtigste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>by</source>
        <translation>nach</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Consecutive selection drops whole blocks: choose blocks</source>
        <translation>Die aufeinanderfolgende Auswahl entfernt ganze Blöcke: Blöcke wählen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Consecutive selection drops whole blocks: choose another strategy</source>
        <translation>Die aufeinanderfolgende Auswahl entfernt ganze Blöcke: eine andere Strategie wählen</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::EvalPanel</name>
    <message>
        <location filename="../widgets/eval_panel.cpp" line="+31"/>
        <source>Evaluate</source>
        <translation>Auswerten</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documents per task (per MMLU subject)</source>
        <translation>Dokumente je Aufgabe (je MMLU-Fach)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>folder holding arc_easy/, hellaswag/, …</source>
        <translation>Ordner mit arc_easy/, hellaswag/, …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Evaluation data folder</source>
        <translation>Ordner der Auswertungsdaten</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Data folder</source>
        <translation>Datenordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>accuracy (fraction correct)</source>
        <translation>Treffergenauigkeit (Anteil richtiger Antworten)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>task · metric</source>
        <translation>Aufgabe · Maß</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Evaluating…</source>
        <translation>Wird ausgewertet…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1 documents, %2 s</source>
        <translation>%1 Dokumente, %2 s</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Done in %1 s</source>
        <translation>Fertig in %1 s</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>No accuracies yet: tick tasks and press Evaluate</source>
        <translation>Noch keine Genauigkeitswerte: Aufgaben ankreuzen und auf Auswerten klicken</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Evaluation</source>
        <translation>Auswertung</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::HealPanel</name>
    <message>
        <location filename="../widgets/heal_panel.cpp" line="+41"/>
        <source>Heal</source>
        <translation>Heilen</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Training-style text (JSON Lines with a &quot;text&quot; field, or plain text): not the text the perplexity is measured on</source>
        <translation>Text im Trainingsstil (JSON Lines mit einem Feld &quot;text&quot; oder reiner Text): nicht der Text, auf dem die Perplexität gemessen wird</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A new folder: the merged checkpoint, and adapter/ in PEFT&apos;s layout</source>
        <translation>Ein neuer Ordner: der zusammengeführte Checkpoint und adapter/ im PEFT-Layout</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Peak learning rate of AdamW, on a cosine schedule down to zero</source>
        <translation>Höchste Lernrate von AdamW, nach einem Kosinus-Zeitplan bis auf null fallend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The adapters&apos; update is scaled by alpha / rank</source>
        <translation>Die Aktualisierung der Adapter wird mit Alpha / Rang skaliert</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Training text</source>
        <translation>Trainingstext</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output folder</source>
        <translation>Ausgabeordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blocks per step</source>
        <translation>Blöcke je Schritt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens per block</source>
        <translation>Token je Block</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LoRA rank</source>
        <translation>LoRA-Rang</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LoRA alpha</source>
        <translation>LoRA-Alpha</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Healing trains small low-rank adapters (LoRA) on the attention and MLP projections the plan keeps, with the model&apos;s own weights frozen, to win back some of what the drop cost. The curve is the training loss per step; below it, the held-out perplexity before the drop, with it and after healing.</source>
        <translation>Das Heilen trainiert kleine Low-Rank-Adapter (LoRA) auf den Attention- und MLP-Projektionen, die der Plan behält, während die eigenen Gewichte des Modells eingefroren bleiben, um einen Teil dessen zurückzugewinnen, was das Entfernen gekostet hat. Die Kurve zeigt den Trainingsverlust je Schritt; darunter die Perplexität auf zurückgehaltenem Text vor dem Entfernen, mit den Entfernungen und nach dem Heilen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>training loss (nats per token)</source>
        <translation>Trainingsverlust (Nats pro Token)</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>No training yet: choose the text and press Heal</source>
        <translation>Noch kein Training: Text wählen und auf Heilen klicken</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>loss of each step</source>
        <translation>Verlust jedes Schritts</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>smoothed (moving average, weight 0.9)</source>
        <translation>geglättet (gleitender Mittelwert, Gewicht 0,9)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Held-out perplexity: full model %1 · with the drops %2 · healed %3</source>
        <translation>Perplexität auf zurückgehaltenem Text: volles Modell %1 · mit den Entfernungen %2 · geheilt %3</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ImpactPanel</name>
    <message>
        <location filename="../widgets/impact_panel.cpp" line="+32"/>
        <source>Parameters removed</source>
        <translation>Entfernte Parameter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KV cache saved</source>
        <translation>Eingesparter KV-Cache</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Estimated decode speedup</source>
        <translation>Geschätzte Decode-Beschleunigung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Measured decode speedup</source>
        <translation>Gemessene Decode-Beschleunigung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Held-out perplexity</source>
        <translation>Perplexität (zurückgehaltener Text)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bytes a batch-1 decode step reads (kept weights + KV cache), full model ÷ with drops: the speedup a memory-bound GPU gives</source>
        <translation>Bytes, die ein Decode-Schritt mit Batch 1 liest (verbleibende Gewichte + KV-Cache), volles Modell ÷ mit Entfernungen: die Beschleunigung einer speichergebundenen GPU</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (%2 %)</source>
        <translation>%1 (%2 %)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 per token (%2 %)</source>
        <translation>%1 pro Token (%2 %)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1× at %2 tokens of context</source>
        <translation>%1× bei %2 Token Kontext</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>measuring…</source>
        <translation>wird gemessen…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Decode tokens/s on %1 after %2 tokens of context, full model → plan: %3 → %4 (medians over %5 interleaved pairs of runs, each from its fastest step; the range is the speedup&apos;s 95 % interval)</source>
        <translation>Decode-Token/s auf %1 nach %2 Token Kontext, volles Modell → Plan: %3 → %4 (Mediane über %5 verschränkte Laufpaare, jeweils aus dem schnellsten Schritt; der Bereich ist das 95-%-Intervall der Beschleunigung)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>1.00× (full model: %1 tokens/s on %2)</source>
        <translation>1.00× (volles Modell: %1 Token/s auf %2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>too noisy to tell (%1–%2× over %3 pairs)</source>
        <translation>zu verrauscht für eine Aussage (%1–%2× über %3 Paare)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1× (%2–%3 over %4 pairs on %5)</source>
        <translation>%1× (%2–%3 über %4 Paare auf %5)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1× so far (%2 %3 on %4; measuring…)</source>
        <translation>bisher %1× (%2 %3 auf %4; wird gemessen…)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pair</source>
        <translation>Paar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>pairs</source>
        <translation>Paare</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>computing…</source>
        <translation>wird berechnet…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (full model %2, %3%4 %)</source>
        <translation>%1 (volles Modell %2, %3%4 %)</translation>
    </message>
    <message>
        <location line="-8"/>
        <location line="+16"/>
        <source>not available: %1</source>
        <translation>nicht verfügbar: %1</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ImportanceHeatmap</name>
    <message>
        <location filename="../widgets/importance_heatmap.cpp" line="+199"/>
        <source>Attention</source>
        <translation>Attention</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Block</source>
        <translation>Block</translation>
    </message>
    <message>
        <location line="-160"/>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>module</source>
        <translation>Modul</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+71"/>
        <source>No importance scores yet</source>
        <translation>Noch keine Wichtigkeitswerte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>NLL increase</source>
        <translation>NLL-Anstieg</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>task NLL increase</source>
        <translation>Aufgaben-NLL-Anstieg</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KL divergence</source>
        <translation>KL-Divergenz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JS divergence</source>
        <translation>JS-Divergenz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last-token angle</source>
        <translation>Winkel am letzten Token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>angular distance</source>
        <translation>Winkelabstand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 − cosine</source>
        <translation>1 − Kosinus</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>dropped</source>
        <translation>entfernt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2: importance %3%4</source>
        <translation>%1 %2: Wichtigkeit %3%4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> (dropped)</source>
        <translation> (entfernt)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Importance map</source>
        <translation>Wichtigkeitskarte</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::JobManager</name>
    <message>
        <location filename="../widgets/job_manager.cpp" line="+54"/>
        <location line="+31"/>
        <location line="+2"/>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::JobsPanel</name>
    <message>
        <location filename="../widgets/jobs_panel.cpp" line="+27"/>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>done in %1 s</source>
        <translation>fertig in %1 s</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>finished</source>
        <translation>beendet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <location line="-43"/>
        <location line="+44"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>cancelling…</source>
        <translation>wird abgebrochen…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>started: %1</source>
        <translation>gestartet: %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>about %1 s left</source>
        <translation>noch etwa %1 s</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::LensGrid</name>
    <message>
        <location filename="../widgets/lens_grid.cpp" line="+25"/>
        <source>The capital of France is</source>
        <translation>Die Hauptstadt von Frankreich ist</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+46"/>
        <source>Show lens</source>
        <translation>Lens anzeigen</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>Predictions listed when hovering a cell</source>
        <translation>Anzahl der Vorhersagen, die beim Überfahren einer Zelle aufgelistet werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The lens is recomputed whenever the plan changes</source>
        <translation>Die Lens wird bei jeder Änderung des Plans neu berechnet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prompt</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>top</source>
        <translation>Top</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The logit lens: the model&apos;s final norm and output head applied to the residual stream after each sub-layer, as if the model stopped there. Watch where the right answer first appears, and what a dropped module changes.</source>
        <translation>Die Logit-Lens: die finale Normierung und der Ausgabekopf des Modells, angewendet auf den Residualstrom nach jeder Teilschicht, als ob das Modell dort aufhörte. Beobachten, wo die richtige Antwort zuerst erscheint und was ein entferntes Modul ändert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type a prompt and show what the model would predict after every attention and MLP.</source>
        <translation>Eine Eingabe tippen und anzeigen, was das Modell nach jeder Attention und jedem MLP vorhersagen würde.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Computing…</source>
        <translation>Wird berechnet…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 MLP</source>
        <translation>%1 MLP</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 attention</source>
        <translation>%1 Attention</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (dropped)</source>
        <translation> (entfernt)</translation>
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
        <translation>Nach %1, Position %2 (%3):
%4</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Each cell: the next token the model would predict if it stopped after that sub-layer (final norm and head applied), shaded by its probability; hover for the top %1.</source>
        <translation>Jede Zelle: das nächste Token, das das Modell vorhersagen würde, wenn es nach dieser Teilschicht aufhörte (finale Normierung und Kopf angewendet), nach seiner Wahrscheinlichkeit schattiert; beim Überfahren erscheinen die Top %1.</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::ModelSummaryWidget</name>
    <message>
        <location filename="../widgets/model_summary_widget.cpp" line="+14"/>
        <location line="+66"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hidden / intermediate</source>
        <translation>Verborgen / Zwischenschicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heads / KV heads</source>
        <translation>Köpfe / KV-Köpfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vocabulary</source>
        <translation>Vokabular</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Computation</source>
        <translation>Berechnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rotary embedding</source>
        <translation>Rotations-Positionskodierung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sliding window</source>
        <translation>Gleitendes Fenster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stored dtype</source>
        <translation>Gespeicherter Datentyp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dropped modules</source>
        <translation>Entfernte Module</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KV cache per token</source>
        <translation>KV-Cache pro Token</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1, brought to the device one at a time (the model does not fit on it)</source>
        <translation>%1, einzeln auf das Gerät gebracht (das Modell passt nicht darauf)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 / %2 (head dim %3)</source>
        <translation>%1 / %2 (Kopfdimension %3)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (%2 of %3 layers)</source>
        <translation>%1 (%2 von %3 Schichten)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (%2 without dropped modules)</source>
        <translation>%1 (%2 ohne entfernte Module)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>attention: %1 · MLP: %2</source>
        <translation>Attention: %1 · MLP: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 in %2 (%3 without drops)</source>
        <translation>%1 in %2 (%3 ohne Entfernungen)</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::PlotExport</name>
    <message>
        <location filename="../widgets/plots.cpp" line="+155"/>
        <source>unknown image format &apos;%1&apos; (use .png, .pdf or .svg)</source>
        <translation>unbekanntes Bildformat &apos;%1&apos; (.png, .pdf oder .svg verwenden)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>llmdrop::widgets::SpeedPanel</name>
    <message>
        <location filename="../widgets/speed_panel.cpp" line="+28"/>
        <source>Measure</source>
        <translation>Messen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Prefill lengths, one round each</source>
        <translation>Prefill-Längen, je eine Runde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contexts</source>
        <translation>Kontexte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New tokens</source>
        <translation>Neue Token</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>context (tokens)</source>
        <translation>Kontext (Token)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Prefill tok/s</source>
        <translation>Prefill Token/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decode tok/s</source>
        <translation>Decode Token/s</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KV cache MiB</source>
        <translation>KV-Cache MiB</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Decode speedup</source>
        <translation>Decode-Beschleunigung</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>contexts must be positive integers separated by commas, e.g. 32,64,128</source>
        <translation>Kontexte müssen positive ganze Zahlen sein, durch Kommas getrennt, z. B. 32,64,128</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>give at least one context length</source>
        <translation>mindestens eine Kontextlänge angeben</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Measuring…</source>
        <translation>Wird gemessen…</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Measured 1 configuration</source>
        <translation>1 Konfiguration gemessen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2 shown)</source>
        <translation>%1 (%2 angezeigt)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No measurements yet: press Measure</source>
        <translation>Noch keine Messungen: auf Messen klicken</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No measurements yet</source>
        <translation>Noch keine Messungen</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+1"/>
        <source>out of memory</source>
        <translation>Speicher erschöpft</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>Measured %1 configurations</source>
        <translation>%1 Konfigurationen gemessen</translation>
    </message>
    <message>
        <location line="-106"/>
        <source>decode speed (tokens/s)</source>
        <translation>Decode-Geschwindigkeit (Token/s)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>KV cache at the largest context (MiB)</source>
        <translation>KV-Cache beim größten Kontext (MiB)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <location line="+189"/>
        <source>Decode speed</source>
        <translation>Decode-Geschwindigkeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KV cache</source>
        <translation>KV-Cache</translation>
    </message>
</context>
<context>
    <name>llmdrop::workbench::MainWindow</name>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+81"/>
        <source>LLM-Drop Workbench</source>
        <translation>LLM-Drop Workbench</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_menus.cpp" line="+73"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open model…</source>
        <translation>Modell &amp;öffnen…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>importance map</source>
        <translation>Wichtigkeitskarte</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+42"/>
        <source>Open a Hugging Face model folder (File → Open model…)</source>
        <translation>Einen Hugging-Face-Modellordner öffnen (Datei → Modell öffnen…)</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_menus.cpp" line="-52"/>
        <source>Open a model folder</source>
        <translation>Modellordner öffnen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+101"/>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open %1</source>
        <translation>%1 öffnen</translation>
    </message>
    <message>
        <location filename="../app/workbench/importance_map.cpp" line="+92"/>
        <source>the bundled calibration text was not found</source>
        <translation>der mitgelieferte Kalibrierungstext wurde nicht gefunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Score %1</source>
        <translation>%1 bewerten</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+45"/>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <location filename="../app/workbench/compare_tab.cpp" line="+22"/>
        <source>%1 · full</source>
        <translation>%1 · vollständig</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Compare A and B</source>
        <translation>A und B vergleichen</translation>
    </message>
    <message>
        <location filename="../app/workbench/impact_tracker.cpp" line="+42"/>
        <source>Decode speed (%1)</source>
        <translation>Decode-Geschwindigkeit (%1)</translation>
    </message>
    <message>
        <location filename="../app/workbench/compare_tab.cpp" line="-29"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../app/workbench/evaluation_tab.cpp" line="+38"/>
        <source>Evaluated %1 (%2)</source>
        <translation>%1 ausgewertet (%2)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="-188"/>
        <source>Evaluation</source>
        <translation>Auswertung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speed</source>
        <translation>Geschwindigkeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_menus.cpp" line="+3"/>
        <source>Open &amp;project…</source>
        <translation>&amp;Projekt öffnen…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Save project…</source>
        <translation>Projekt &amp;speichern…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Export drop plan (config.json)…</source>
        <translation>Entfernungsplan &amp;exportieren (config.json)…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Export &amp;pruned checkpoint…</source>
        <translation>&amp;Beschnittenen Checkpoint exportieren…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Images (*.png *.pdf *.svg)</source>
        <translation>Bilder (*.png *.pdf *.svg)</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>decode-speed plot</source>
        <translation>Decode-Geschwindigkeitsdiagramm</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>&amp;Calibration text…</source>
        <translation>&amp;Kalibrierungstext…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&amp;Evaluation page</source>
        <translation>&amp;Auswertungsseite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Speed page</source>
        <translation>&amp;Geschwindigkeitsseite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Compare page</source>
        <translation>&amp;Vergleichsseite</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>KV-cache plot</source>
        <translation>KV-Cache-Diagramm</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>evaluation chart</source>
        <translation>Auswertungsdiagramm</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export the %1 as an image…</source>
        <translation>%1 als Bild exportieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export the %1</source>
        <translation>%1 exportieren</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+6"/>
        <source>Cannot export the %1</source>
        <translation>%1 kann nicht exportiert werden</translation>
    </message>
    <message>
        <location line="-98"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_layout.cpp" line="+41"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_menus.cpp" line="+12"/>
        <source>&amp;Device</source>
        <translation>&amp;Gerät</translation>
    </message>
    <message>
        <location line="+105"/>
        <location line="+3"/>
        <source>Cannot use %1</source>
        <translation>%1 kann nicht verwendet werden</translation>
    </message>
    <message>
        <location line="-106"/>
        <source>&amp;Precision</source>
        <translation>&amp;Genauigkeit</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Open a project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>LLM-Drop projects (*.llmdrop.json *.json)</source>
        <translation>LLM-Drop-Projekte (*.llmdrop.json *.json)</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Save the project</source>
        <translation>Projekt speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LLM-Drop projects (*.llmdrop.json)</source>
        <translation>LLM-Drop-Projekte (*.llmdrop.json)</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+18"/>
        <source>Cannot save the project</source>
        <translation>Das Projekt kann nicht gespeichert werden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export a pruned checkpoint to a new folder</source>
        <translation>Beschnittenen Checkpoint in einen neuen Ordner exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the drop plan to a new folder</source>
        <translation>Entfernungsplan in einen neuen Ordner exportieren</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+86"/>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_menus.cpp" line="-14"/>
        <source>Cannot open project</source>
        <translation>Projekt kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+35"/>
        <source>Exporting to %1…</source>
        <translation>Export nach %1…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export %1</source>
        <translation>%1 exportieren</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The project&apos;s drop plan does not fit this model: %1</source>
        <translation>Der Entfernungsplan des Projekts passt nicht zu diesem Modell: %1</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Exported to %1</source>
        <translation>Nach %1 exportiert</translation>
    </message>
    <message>
        <location line="-155"/>
        <location line="+48"/>
        <source>Cannot change the plan</source>
        <translation>Der Plan kann nicht geändert werden</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Lens</source>
        <translation>Lens</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heal</source>
        <translation>Heilen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cannot show the metric</source>
        <translation>Das Maß kann nicht angezeigt werden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot pin the plan</source>
        <translation>Der Plan kann nicht festgehalten werden</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot compare</source>
        <translation>Vergleich nicht möglich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot measure the speed</source>
        <translation>Die Geschwindigkeit kann nicht gemessen werden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot compute the logit lens</source>
        <translation>Die Logit-Lens kann nicht berechnet werden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot heal</source>
        <translation>Heilen nicht möglich</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+48"/>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <location line="-47"/>
        <location line="+6"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1:
%2</source>
        <translation>%1:
%2</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Cannot open project %1</source>
        <translation>Projekt %1 kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Opened %1: it does not fit on %2, so its layers stream one at a time (slower)</source>
        <translation>%1 geöffnet: Es passt nicht auf %2, daher werden seine Schichten einzeln nachgeladen (langsamer)</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Cannot evaluate</source>
        <translation>Auswertung nicht möglich</translation>
    </message>
    <message>
        <location filename="../app/workbench/compare_tab.cpp" line="+40"/>
        <location filename="../app/workbench/speed_tab.cpp" line="+42"/>
        <source>Measurement failed: %1</source>
        <translation>Messung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/importance_map.cpp" line="-53"/>
        <source>%1 × %2 tokens of %3</source>
        <translation>%1 × %2 Token aus %3</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Computing the importance map on %1…</source>
        <translation>Wichtigkeitskarte wird auf %1 berechnet…</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>These scores have no %1 values: the map shows %2 (choose %1 to measure it)</source>
        <translation>Diese Bewertungen enthalten keine Werte für %1: Die Karte zeigt %2 (%1 wählen, um es zu messen)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Importance map of %1 on %2: click a cell to drop or restore that module</source>
        <translation>Wichtigkeitskarte von %1 auf %2: eine Zelle anklicken, um dieses Modul zu entfernen oder wiederherzustellen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scored on %1 (Edit → Calibration text…)</source>
        <translation>Bewertet auf %1 (Bearbeiten → Kalibrierungstext…)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Add %1 least important (%2, %3, %4)</source>
        <translation>%1 unwichtigste hinzufügen (%2, %3, %4)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace the plan with the %1 least important (%2, %3, %4)</source>
        <translation>Plan durch die %1 unwichtigsten ersetzen (%2, %3, %4)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot drop: %1</source>
        <translation>Entfernen nicht möglich: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../app/workbench/main_window.cpp" line="-218"/>
        <location line="+2"/>
        <source>Cannot drop</source>
        <translation>Entfernen nicht möglich</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+96"/>
        <location line="+17"/>
        <location line="+2"/>
        <location filename="../app/workbench/window_menus.cpp" line="+10"/>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/workbench/evaluation_tab.cpp" line="+5"/>
        <source>Evaluation failed: %1</source>
        <translation>Auswertung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluation failed</source>
        <translation>Auswertung fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/workbench/importance_map.cpp" line="-38"/>
        <source>Cannot compute the importance map: %1</source>
        <translation>Die Wichtigkeitskarte kann nicht berechnet werden: %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+17"/>
        <source>Cannot open %1</source>
        <translation>%1 kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/window_menus.cpp" line="-15"/>
        <source>Cannot open model</source>
        <translation>Modell kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/plan_history.cpp" line="+1"/>
        <source>Drop %1 %2</source>
        <translation>%1 %2 entfernen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Restore %1 %2</source>
        <translation>%1 %2 wiederherstellen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="+58"/>
        <source>Jobs run on %1 in %2</source>
        <translation>Aufträge laufen auf %1 in %2</translation>
    </message>
    <message>
        <location filename="../app/workbench/speed_tab.cpp" line="-10"/>
        <source>Measured already: change the plan or the rounds</source>
        <translation>Bereits gemessen: Plan oder Runden ändern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Speed of %1</source>
        <translation>Geschwindigkeit von %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/compare_tab.cpp" line="-13"/>
        <location filename="../app/workbench/impact_tracker.cpp" line="-2"/>
        <source>the bundled held-out text was not found</source>
        <translation>der mitgelieferte zurückgehaltene Text wurde nicht gefunden</translation>
    </message>
    <message>
        <location filename="../app/workbench/impact_tracker.cpp" line="-8"/>
        <source>Held-out perplexity (%1)</source>
        <translation>Perplexität auf zurückgehaltenem Text (%1)</translation>
    </message>
    <message>
        <location filename="../app/workbench/plan_history.cpp" line="+9"/>
        <location filename="../app/workbench/speed_tab.cpp" line="-11"/>
        <location line="+2"/>
        <source>full</source>
        <translation>vollständig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>attn %1</source>
        <translation>Attention %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mlp %1</source>
        <translation>MLP %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 dropped</source>
        <translation>%1 entfernt</translation>
    </message>
    <message>
        <location filename="../app/workbench/evaluation_tab.cpp" line="-17"/>
        <source>Tick at least one task.</source>
        <translation>Mindestens eine Aufgabe ankreuzen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Evaluating %1 (%2)…</source>
        <translation>%1 wird ausgewertet (%2)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluate %1</source>
        <translation>%1 auswerten</translation>
    </message>
    <message>
        <location filename="../app/workbench/calibration_dialog.cpp" line="+18"/>
        <location line="+6"/>
        <source>Calibration text</source>
        <translation>Kalibrierungstext</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>the bundled held-out text</source>
        <translation>der mitgelieferte zurückgehaltene Text</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON array or JSON Lines of {&quot;text&quot;: …} (LLM-Drop&apos;s c4_demo.json), or a .txt file</source>
        <translation>JSON-Array oder JSON Lines aus {&quot;text&quot;: …} (c4_demo.json von LLM-Drop) oder eine .txt-Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Text (*.json *.jsonl *.txt);;All files (*)</source>
        <translation>Text (*.json *.jsonl *.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source> tokens</source>
        <translation> Token</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blocks</source>
        <translation>Blöcke</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Block length</source>
        <translation>Blocklänge</translation>
    </message>
    <message>
        <location filename="../app/workbench/close_guard.cpp" line="+25"/>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The drop plan or the evaluation results changed since the project was last saved. Save them as a project before closing?</source>
        <translation>Der Entfernungsplan oder die Auswertungsergebnisse haben sich seit dem letzten Speichern des Projekts geändert. Vor dem Schließen als Projekt speichern?</translation>
    </message>
    <message>
        <location filename="../app/workbench/heal_tab.cpp" line="+19"/>
        <location filename="../app/workbench/lens_tab.cpp" line="+17"/>
        <source>Open a model first.</source>
        <translation>Zuerst ein Modell öffnen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Drop something first: healing follows a drop.</source>
        <translation>Zuerst etwas entfernen: Das Heilen folgt auf ein Entfernen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the training text first.</source>
        <translation>Zuerst den Trainingstext wählen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a new output folder first.</source>
        <translation>Zuerst einen neuen Ausgabeordner wählen.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Healing %1…</source>
        <translation>%1 wird geheilt…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Healing %1</source>
        <translation>%1 heilen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (resumed after step %1)</source>
        <translation> (fortgesetzt nach Schritt %1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Healed %1%5: loss %2 → %3; wrote %4</source>
        <translation>%1%5 geheilt: Verlust %2 → %3; %4 geschrieben</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Healed %1</source>
        <translation>%1 geheilt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot heal: %1</source>
        <translation>Heilen nicht möglich: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Healing cancelled: Heal with the same settings and folder continues it.</source>
        <translation>Heilen abgebrochen: Erneutes Heilen mit denselben Einstellungen und demselben Ordner setzt es fort.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Training text</source>
        <translation>Trainingstext</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text (*.jsonl *.json *.txt);;All files (*)</source>
        <translation>Text (*.jsonl *.json *.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>New folder for the healed model</source>
        <translation>Neuer Ordner für das geheilte Modell</translation>
    </message>
    <message>
        <location filename="../app/workbench/help_menu.cpp" line="+30"/>
        <source>1. Open a Hugging Face model folder (File → Open model…); the bundled demo model opens at start.
2. The importance map is computed in the background: rows attention / MLP / block, one column per layer, brighter = more important.
3. Click a cell to drop or restore that module, or add the N least important modules to the plan (or replace the plan with them). Every change is undoable.
4. The Model panel shows the plan&apos;s impact: parameters, KV cache, the estimated and measured decode speedup, and the held-out perplexity.
5. Evaluate the plan on tasks (Evaluation), measure its speed (Speed), or pin it and compare it with another plan or model (Compare).
6. Save the session as a project, or export the plan as a config.json folder or a pruned checkpoint (File menu).</source>
        <translation>1. Einen Hugging-Face-Modellordner öffnen (Datei → Modell öffnen…); das mitgelieferte Demomodell wird beim Start geöffnet.
2. Die Wichtigkeitskarte wird im Hintergrund berechnet: Zeilen Attention / MLP / Block, eine Spalte je Schicht, heller = wichtiger.
3. Eine Zelle anklicken, um dieses Modul zu entfernen oder wiederherzustellen, oder die N unwichtigsten Module zum Plan hinzufügen (oder den Plan durch sie ersetzen). Jede Änderung lässt sich rückgängig machen.
4. Der Bereich Modell zeigt die Auswirkung des Plans: Parameter, KV-Cache, die geschätzte und die gemessene Decode-Beschleunigung sowie die Perplexität auf zurückgehaltenem Text.
5. Den Plan auf Aufgaben auswerten (Auswertung), seine Geschwindigkeit messen (Geschwindigkeit) oder ihn festhalten und mit einem anderen Plan oder Modell vergleichen (Vergleich).
6. Die Sitzung als Projekt speichern oder den Plan als config.json-Ordner oder als beschnittenen Checkpoint exportieren (Menü Datei).</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 › %2: %3</source>
        <translation>%1 › %2: %3</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>LLM-Drop Workbench %1

Find and remove redundant attention layers, MLPs and blocks in language models: importance maps, drop plans, their impact, evaluation, speed and comparison.

Built with Qt %2.</source>
        <translation>LLM-Drop Workbench %1

Redundante Attention-Schichten, MLPs und Blöcke in Sprachmodellen finden und entfernen: Wichtigkeitskarten, Entfernungspläne und ihre Auswirkung, Auswertung, Geschwindigkeit und Vergleich.

Erstellt mit Qt %2.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Workflow</source>
        <translation>&amp;Arbeitsablauf</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workflow</source>
        <translation>Arbeitsablauf</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;About LLM-Drop Workbench</source>
        <translation>Ü&amp;ber LLM-Drop Workbench</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About LLM-Drop Workbench</source>
        <translation>Über LLM-Drop Workbench</translation>
    </message>
    <message>
        <location filename="../app/workbench/lens_tab.cpp" line="+1"/>
        <source>Type a prompt first.</source>
        <translation>Zuerst eine Eingabe tippen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Computing the logit lens (%1)…</source>
        <translation>Logit-Lens wird berechnet (%1)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Logit lens of %1</source>
        <translation>Logit-Lens von %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Logit lens shown (%1)</source>
        <translation>Logit-Lens angezeigt (%1)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot compute the logit lens: %1</source>
        <translation>Die Logit-Lens kann nicht berechnet werden: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Type a prompt and show what the model would predict after every attention and MLP.</source>
        <translation>Eine Eingabe tippen und anzeigen, was das Modell nach jeder Attention und jedem MLP vorhersagen würde.</translation>
    </message>
</context>
<context>
    <name>llmdrop::workbench::SessionController</name>
    <message>
        <location filename="../app/workbench/session_controller.cpp" line="+109"/>
        <source>Load %1 on %2 (%3)</source>
        <translation>%1 auf %2 laden (%3)</translation>
    </message>
</context>
</TS>
