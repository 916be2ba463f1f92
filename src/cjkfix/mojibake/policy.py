"""Thresholds of the mojibake engine, each named once."""

from __future__ import annotations

# Characters likelier than this (log-probability) are left out of the gate's class.
GATE_COMMON = -9.0


# A character that may be a lead of UTF-8 bytes whose last byte was silently dropped is
# taken for mojibake on its own only when rarer than this (``鏈`` is, ``陣`` is not).
LONE_RARE = -11.0


# Minimum gain in average log-probability per character for a repair.
MIN_GAIN = 3.0


# Minimum fluency (average log-probability per character) of a repair.
MIN_FLUENCY = -9.0


# A bigger gain allows a less fluent result (dialect words the model lacks).
STRONG_GAIN = 5.0


LOW_FLUENCY = -11.5


# Total gain per character that makes a repair worth it even when the per-character gain
# is small (three cp1252 characters per Han character on the broken side).
TOTAL_GAIN_PER_CHAR = 3.0


# A run of this many undamaged multi-byte UTF-8 characters needs only a small gain.
STRUCTURED_CHARS = 4


STRUCTURED_MIN_GAIN = 1.0


STRUCTURED_MIN_FLUENCY = -14.0


# Per-character gain (may be slightly negative: three Latin-1 characters are each
# likelier than a rare Hangul syllable) for a short span judged by its total gain.
RELAXED_TOTAL_MIN_GAIN = -1.5


# Fluency a short span glued to a Latin word needs to be repaired in context.
GLUED_MIN_FLUENCY = -7.0


# Gain needed for a short span when the same chain was repaired elsewhere in the text.
RELAXED_MIN_GAIN = 1.5


# Stricter values for short repairs (fewer than SHORT non-ASCII characters).
SHORT = 3


SHORT_MIN_GAIN = 6.0


SHORT_MIN_FLUENCY = -7.5


# A lost character is restored when its best candidate has at least this posterior.
RESTORE_POSTERIOR = 0.35


# ... per language: measured on the development corpus (UTF-8 read as GBK and Shift_JIS,
# Python's and "?" decoders), the lowest threshold at which wrong guesses stay rare; the
# word lists behind the model know Japanese particles and Korean syllables across word
# boundaries poorly (``の`` against ``は``, ``가`` against ``각``), so those languages
# restore less and keep more U+FFFD.
RESTORE_POSTERIOR_BY_LANG = {"zh-Hans": 0.9, "zh-Hant": 0.9, "ja": 0.9, "ko": 0.9}


# ... and in a span that lost bytes all over, where neighbours are often lost as well.
SALVAGE_POSTERIOR = 0.9


LOSSY_POSTERIOR = 0.9


_FINAL_BONUS = 1.0


_NOT_FINAL_PENALTY = 3.0


_QUESTION_BONUS = 2.0


MAX_CANDIDATES = 4096


# At most this many candidates (the most frequent) are scored in context.
MAX_SCORED = 64


# Runs longer than this are cut into pieces (keeps the work linear and bounded).
MAX_RUN = 2000


#: The posterior a character with two or more unknown bytes needs to be restored.
MANY_UNKNOWN_POSTERIOR = 0.95


#: Candidates this far (in nats) below the best add nothing that matters to a posterior.
_NEGLIGIBLE = 9.0


_UNPAIRED_PENALTY = 3.0


_PAIRED_BONUS = 2.0


#: Characters looked at on each side of a lost bracket for its partner.
PAIR_WINDOW = 80


#: Heavy loss: at least this many bytes lost in a span, and this many of its characters
#: with some known bytes; a salvaged span needs this many characters recovered.
HEAVY_LOST = 3


HEAVY_PARTIAL = 2


SALVAGE_RECOVERED = 2


#: At most this many places where a byte may have been dropped are tried in one run.
MAX_SLOTS = 64


#: What each byte put back must gain on average (log probability of the whole run).
SLOT_GAIN = 1.5


#: Bytes put back in a text with no other sign of a dropping decoder: at least this many.
DROPPED_MIN = 4


#: What one byte put back must gain over nothing put back (log probability, locally).
SLOT_MARGIN = 0.5


#: Characters scored around each hole when a legacy decode fills it.
LEGACY_WINDOW = 12


_COMMON_SIZE = 400


#: A legacy-pair decode is read in pieces of this many characters, each of which must
#: reach this average log-probability: a byte dropped without a trace throws the rest of
#: a run out of step, and a fluent start must not carry the garbage after it.
FLUENT_PIECE = 4


FLUENT_PIECE_MIN = -12.5


#: At most this many characters with two byte forms are tried both ways in one run.
MAX_DUAL = 6


#: Runs with more lost bytes than this are read with every U+FFFD as a lost character.
LEGACY_MAX_FILLED = 8


#: Characters with two cp932 forms tried both ways in a run with lost bytes.
MAX_DUAL_LOSSY = 3


#: Lost characters scored per text: a base, plus one per so many characters. Real text
#: needs far fewer; a megabyte of ``\ufffd好`` gets this much work, the rest stays lost,
#: and time stays linear.
RESTORE_BUDGET_BASE = 4000


RESTORE_BUDGET_CHARS = 8


#: Characters of context on each side of a short repair that tell its neighbourhood.
SHORT_CONTEXT = 20


#: A run may hide UTF-8 when its bytes hold this many whole three-byte characters, or
#: one per this many of its characters.
MAY_HIDE_WIDE = 3


MAY_HIDE_SHARE = 4


# A long text is first looked at around the gate's matches (this many characters either
# side, within the line): only if something there is worth repairing is the whole text
# searched (clean text with a stray match costs a few short looks, not a full search).
LOOK_WINDOW = 16


LOOK_LIMIT = 160


MAX_LOOKS = 64


#: A run at least this long that is UTF-8 through a single-byte codec is not also
#: decoded as each legacy encoding.
UTF8_RUN_SKIPS_LEGACY = 8
