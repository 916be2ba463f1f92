"""Thresholds of the mojibake engine, each named once, in one frozen :class:`Policy`.

Scores are the character model's log-probabilities (natural log): *fluency* is the
average per character of a text, *gain* the fluency of a reading less that of the span
as it stands. The engine reads every threshold from :data:`POLICY`.

    >>> POLICY.min_gain, POLICY.restore_posterior_for("ja")
    (3.0, 0.93)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["POLICY", "Policy"]


def _by_lang() -> Mapping[str, float]:
    return MappingProxyType({"zh-Hans": 0.93, "zh-Hant": 0.93, "ja": 0.93, "ko": 0.93})


@dataclass(frozen=True)
class Policy:
    """Every threshold of the engine (see each field's docstring)."""

    # ------------------------------------------------------------------ the gate
    gate_common: float = -9.0
    """Characters likelier than this are left out of a legacy pair's gate class."""
    common_size: int = 400
    """How many of a language's most frequent characters a legacy pair's gate is built
    from (their mis-decoded forms)."""

    # ------------------------------------------------------------------ judging a reading
    min_gain: float = 3.0
    """Minimum gain per character for a repair."""
    min_fluency: float = -9.0
    """Minimum fluency of a repair."""
    lone_garbled: float = -11.0
    """A stretch of a decoder's marks is read as its count of lost characters only where
    what it shows beside the marks is less fluent than this: what a codec made of
    UTF-8's bytes, not clean text with characters lost (no clean line of the accuracy
    corpus reads under it; of 9,000 corpus lines with 30-70% of their characters made
    U+FFFD, 86 had characters they show taken as lost before this test, 1 after)."""
    strong_gain: float = 5.0
    """A gain this big allows a less fluent result (dialect words the model lacks)..."""
    low_fluency: float = -11.5
    """... down to this fluency."""
    total_gain_per_char: float = 3.0
    """Total gain per character that makes a repair worth it even when the per-character
    gain is small (three cp1252 characters per Han character on the broken side)."""
    weak_gain: float = 0.5
    """The per-character gain a repair judged by its total gain still needs."""
    weak_negative_gain: float = -1.0
    """The per-character gain (negative) a repair may have when its total gain is twice
    :attr:`total_gain_per_char` per character..."""
    weak_negative_min_fluency: float = -9.0
    """... and the fluency it needs: a reading with fewer characters always gains in
    total, so one that reads no better per character must still read as text (Mac Roman
    mojibake of Cyrillic, ``—Ç–µ–``, is no Shift_JIS ``良矛＊`` at -9.5)."""
    short_total_gain: float = 25.0
    """Total gain that lets a short span pass with :attr:`min_gain` (or, when two of its
    characters are undamaged multi-byte UTF-8, with :attr:`weak_gain`)."""
    structured_chars: int = 4
    """A run of this many undamaged multi-byte UTF-8 characters needs only a small gain:
    random text does not form long runs of valid UTF-8."""
    structured_min_gain: float = 1.0
    """The gain such a run needs (or a total gain of :attr:`structured_total_per_char`
    per such character)..."""
    structured_total_per_char: float = 4.0
    """... (see :attr:`structured_min_gain`)..."""
    structured_min_fluency: float = -14.0
    """... and the fluency."""
    relaxed_min_gain: float = 1.5
    """Gain a short span needs when the same chain was repaired elsewhere in the text."""
    relaxed_total_min_gain: float = -1.5
    """Per-character gain (may be slightly negative: three Latin-1 characters are each
    likelier than a rare Hangul syllable) for a short span judged by its total gain."""
    context_runs: int = 2
    """Strong runs of one legacy encoding read as Latin-1/cp1252, in one language, that
    establish a paragraph's chain: its runs left over are then read that way too
    (:mod:`cjkfix.mojibake.paragraph`)..."""
    context_share: float = 0.8
    """... when they cover this share of what the paragraph's strong runs cover."""
    glued_min_fluency: float = -7.0
    """Fluency a weak span glued to a Latin word needs to be repaired in context."""
    short: int = 3
    """Repairs of fewer non-ASCII characters than this are *short*: stricter values."""
    short_min_gain: float = 6.0
    """Gain a short repair needs (see :attr:`short`)."""
    short_min_fluency: float = -7.5
    """Fluency a short repair needs."""
    short_context: int = 20
    """Characters of context on each side of a short repair that tell its neighbourhood."""
    lone_rare: float = -11.0
    """A character that may be a UTF-8 lead whose last byte was silently dropped is taken
    for mojibake on its own only when rarer than this (``鏈`` is, ``陣`` is not)."""

    # ------------------------------------------------------------------ lost characters
    restore_posterior: float = 0.35
    """A lost character is restored when its best candidate has at least this posterior
    (raised per language, see :attr:`restore_posterior_by_lang`)."""
    restore_posterior_by_lang: Mapping[str, float] = field(default_factory=_by_lang)
    """Measured on the development corpus (UTF-8 read as GBK and Shift_JIS, Python's and
    "?" decoders): the lowest threshold at which wrong guesses stay rare; the word lists
    behind the model know Japanese particles and Korean syllables across word boundaries
    poorly (``の`` against ``は``, ``가`` against ``각``). Raised from 0.9 with
    :attr:`salvage_posterior`, :attr:`lossy_posterior` and
    :attr:`many_unknown_posterior` (0.95 to 0.97), measured on the lossy cells of the
    UTF-8 chains through double-byte codecs and cp1252 (2,240 cases): outputs with a
    wrong character 45 to 38, exact repairs 322 to 300 (at 0.95: 35 and 213; the
    posteriors between 0.9 and 0.93 were wrong one time in four)."""
    salvage_posterior: float = 0.93
    """The posterior in a span that lost bytes all over (neighbours often lost as well),
    for lost characters alone, and for a hole a double-byte codec rejected."""
    fill_temperature: float = 1.5
    """The character model is surer of a frequent character than it should be: a hole
    that stands for one of a few bytes (cp1252's five undefined ones, in a legacy
    encoding read through cp1252) has its scores divided by this before its posterior is
    taken (:data:`cjkfix.beam.TEMPERATURE` does the same in the single-byte
    rows' lattice). Not for a hole a double-byte codec rejected, whose many candidate
    bytes spread the posterior already. Measured on Shift_JIS read as cp1252 with U+FFFD
    or "?" (400 lines): wrong 6 to 0, kept 183 to 194, exact 99 to 80."""
    lossy_posterior: float = 0.93
    """The posterior for chains with the ``lossy_posterior`` override (UTF-8 read as Big5,
    EUC-JP or EUC-KR: most characters lost a byte, and so did the model's context)."""
    drawn_min: int = 3
    """Box drawing decoded whole, alone: at least this many characters in a row."""
    eaten_margin: float = 4.0
    """A character a decoder made end in the first byte of its default character, before
    the character it ate (:mod:`cjkfix.mojibake.eaten`), is read back only where the
    model prefers another reading by this much (nats) to the character as it stands."""
    eaten_posterior: float = 0.97
    """... and kept (not U+FFFD) only at this posterior: one byte of the character and
    the byte after it are gone, and the model has one character of context."""
    mark_posterior: float = 0.9
    """The posterior a lost punctuation mark needs (held to less than a character of a
    word, as :mod:`cjkfix.narrowing` holds it: a wrong mark misleads less than a wrong
    word, and a line's last mark is the commonest loss there is, ``。`` with its last
    byte gone): the most it needs in a run's vote; in the line lattice, in place of
    :meth:`restore_posterior_for`, :attr:`many_unknown_posterior` still applying (there,
    capped too, ``設定・`` read ``設�、E``). Measured on the lossy cells (4,724): exact 803
    to 820, wrong 68 to 73, against marks held to what characters are."""
    many_unknown_posterior: float = 0.97
    """The posterior a character with two or more unknown bytes needs."""
    no_context_posterior: float = 0.97
    """The posterior a lost character needs with no known character beside it (lost
    neighbours, a space, the end of the run): a character's frequency is all the model
    has there. Measured on the lossy cells (4,960): wrong 52 to 51, exact and kept
    unchanged."""
    chain_candidates: int = 16
    """Lost characters next to one another, each of at most this many readings, are
    weighed together (each reading after every reading of its lost neighbours, as
    likely as they are); a character of more readings sees a lost neighbour as no
    context."""
    negligible: float = 9.0
    """Candidates this far (in nats) below the best add nothing that matters to a
    posterior."""
    max_candidates: int = 4096
    """Byte combinations beyond this: the character is not enumerated (stays lost)."""
    max_scored: int = 64
    """At most this many candidates (the most frequent) are scored in context."""
    final_bonus: float = 1.0
    """Sentence-final punctuation is likelier at the end of a run or before a space."""
    not_final_penalty: float = 3.0
    """A line hardly ends on a comma, nor starts with one (or a closing bracket)."""
    question_bonus: float = 2.0
    """After a question particle at a line's end comes a question mark."""
    paired_bonus: float = 2.0
    """A lost bracket whose partner is open before (or closes after) it."""
    unpaired_penalty: float = 3.0
    """A lost bracket with no partner in a span known throughout."""
    pair_window: int = 80
    """Characters looked at on each side of a lost bracket for its partner."""
    restore_budget_base: int = 4000
    """Lost characters scored per text: a base, plus one per
    :attr:`restore_budget_chars` characters. Real text needs far fewer; a megabyte of
    ``\\ufffd好`` gets this much work, the rest stays lost, and time stays linear."""
    restore_budget_chars: int = 8
    """See :attr:`restore_budget_base`."""

    # ------------------------------------------------------------------ heavy loss
    heavy_lost: int = 3
    """Heavy loss: at least this many bytes lost in a span..."""
    heavy_partial: int = 2
    """... and this many of its characters with some known bytes."""
    salvage_recovered: int = 2
    """A salvaged span needs this many characters recovered."""

    # ------------------------------------------------------------------ legacy readings
    legacy_window: int = 12
    """Characters scored around each hole when a legacy decode fills it."""
    legacy_max_filled: int = 8
    """Runs with more lost bytes than this are read by the byte lattice (every cut weighed
    at once, each character with a lost byte one U+FFFD), not filled one by one."""
    lattice_posterior: float = 0.99
    """A character the byte lattice reads whole comes back at this posterior (of all the
    cuts, the share that read it there), else U+FFFD: as the replacement fixer's."""
    max_slots: int = 64
    """At most this many places where a byte may have been dropped are tried in one run."""
    slot_gain: float = 1.5
    """What each byte put back must gain on average (log probability of the whole run)."""
    slot_margin: float = 0.5
    """What one byte put back must gain over nothing put back (locally)."""
    decoder_runs: int = 2
    """Readings through one double-byte codec that establish a line's decoder (the rule
    ``another_decoder``)..."""
    decoder_share: float = 3.0
    """... where they cover this many times what readings through any other cover."""
    slot_posterior: float = 0.9
    """Where a byte was put back, the posterior of that byte among the bytes that could
    have been dropped there (``メ`` 83 81 against ``ロ`` 83 8D before ``ソッド``): below
    it, the character that byte belongs to is lost (U+FFFD), not guessed."""
    dropped_min: int = 4
    """Bytes put back in a text with no other sign of a dropping decoder: at least this
    many."""
    fluent_piece: int = 4
    """A legacy-pair decode is read in pieces of this many characters, each of which must
    reach :attr:`fluent_piece_min`: a byte dropped without a trace throws the rest of a run
    out of step, and a fluent start must not carry the garbage after it."""
    fluent_piece_min: float = -12.5
    """See :attr:`fluent_piece`."""
    fluent_window_min: float = -14.5
    """... and every window of as many characters, at any offset, this (lower) bar."""
    lossy_rare: float = -15.0
    """A reading of a span with lost bytes may not bring in a character rarer than this
    in every language (one the model has hardly seen: a byte out of step, not text)."""
    max_dual: int = 6
    """At most this many characters with two cp932 forms are tried both ways in one run."""
    max_dual_lossy: int = 3
    """... in a run with lost bytes."""

    # ------------------------------------------------------------------ runs and looks
    max_run: int = 2000
    """Runs longer than this are cut into pieces (keeps the work linear and bounded)."""
    may_hide_wide: int = 3
    """A run may hide UTF-8 when its bytes hold this many whole three-byte characters..."""
    may_hide_share: int = 4
    """... or one per this many of its characters."""
    utf8_run_skips_legacy: int = 8
    """A run at least this long that is UTF-8 through a single-byte codec is not also
    decoded as each legacy encoding."""
    look_window: int = 16
    """A long text is first looked at around the gate's matches (this many characters
    either side, within the line): only if something there is worth repairing is the
    whole text searched."""
    look_limit: int = 160
    """A look never cuts a run, up to this many characters beyond the match."""
    max_looks: int = 64
    """After this many looks the whole text is searched."""

    def restore_posterior_for(self, lang: str) -> float:
        """The posterior a lost character in text of ``lang`` needs to be restored."""
        return max(self.restore_posterior, self.restore_posterior_by_lang.get(lang, 0.0))


#: The engine's policy.
POLICY = Policy()
