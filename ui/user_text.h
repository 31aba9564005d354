#pragma once

#include "ui/markdown.h"

#include <QList>
#include <QString>

namespace latent::ui {

// A user's own message, as chat apps show it: plain text, never read as markdown (people type
// `int *p`, `__init__`, `#include` and `1. ` at the start of a line meaning just that, and every
// line break and indentation they type stays), with the code in it as code blocks. Code is:
//   1. a fenced block (``` or ~~~), as in answers;
//   2. Markdown's indented code: a paragraph (lines between blank lines) whose every line is
//      indented by four spaces or a tab;
//   3. a pasted snippet or stack trace: a line followed by lines indented by two or more spaces
//      or a tab ("def f(x):" and its body, "Traceback ...:" and its frames, "int f() {" and its
//      body). It runs on over blank lines between indented lines and over lines that start with
//      a closing bracket ("}", "})", "]"); a snippet right after it, blank lines apart at most
//      (the next function), joins it. A snippet is code when its body goes four spaces (or a
//      tab) deep, has two indented lines or more, or closes a bracket: "Thanks,\n  Ann" stays
//      text. An indented list item ("- a", "* a", "1. a", "1) a") is prose, so an indented list
//      stays text; so is indentation with other spaces (Chinese text's full-width U+3000).
//      Code misread as text loses only its monospace face (text keeps its indentation), so the
//      rule leans to text.
// Prose segments keep their text as typed, without blank lines around them.
QList<MarkdownSegment> splitUserText(const QString& text);

} // namespace latent::ui
