#!/bin/sh
# aspect.sh: the #aspect directive: the slide canvas's shape, its warnings, and old decks.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

# slide_class NAME: prints the class of page 0's <body>.
slide_class() {
	"$DRFSLIDES" render "$TMPD/$1.drf" 0 | sed -n 's/^<body class="\([^"]*\)".*/\1/p'
}

check_deck old '#title An old deck\n--- one\ntext\n'
is "$rc" 0 "a deck without #aspect checks clean"
is "$(slide_class old)" "slide title-page" "a deck without #aspect (every 2001 deck) has the 16:9 canvas"

check_deck square '#aspect 4:3\n--- one\ntext\n'
is "$rc" 0 "#aspect 4:3 checks clean"
contains "$TMPD/out" "0 errors, 0 warnings" "#aspect 4:3 draws no warning"
is "$(slide_class square)" "slide aspect-4-3 title-page" "#aspect 4:3 gives page 0 the 4:3 canvas"

check_deck wide '#aspect 4:3\n#aspect 16:9\n--- one\ntext\n'
is "$(slide_class wide)" "slide title-page" "a later #aspect 16:9 replaces an earlier 4:3"

check_deck late '--- one\n#aspect 4:3\ntext\n'
contains "$TMPD/out" "late.drf:2: warning: #aspect after the first page separator has no effect" \
    "#aspect after the first separator draws a warning with its line"
is "$(slide_class late)" "slide title-page" "... and has no effect"

check_deck odd '#aspect 21:9\n--- one\ntext\n'
contains "$TMPD/out" "odd.drf:1: warning: #aspect '21:9' is ignored" "an unknown shape draws a warning"
is "$(slide_class odd)" "slide title-page" "... and the canvas stays 16:9"

check_deck typo '#aspct 4:3\n--- one\ntext\n'
contains "$TMPD/out" "typo.drf:1: warning: '#aspct' is not a directive" "a misspelt #aspect draws a warning"
contains "$TMPD/out" "did you mean '#aspect'?" "... that names #aspect"

done_testing
