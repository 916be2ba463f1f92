"""Encoding detection benchmark: cjkfix.decode against charset-normalizer and chardet 7.

    python benchmarks/detect.py                     # needs ../shared/corpus and ../shared/peer
    python benchmarks/detect.py --shared DIR --n 40 --seed 1 --json run.json

Each language of ``shared/corpus`` is encoded in each of its legacy codecs (zh-Hans: gbk,
gb18030; zh-Hant: big5; ja: shift_jis, euc-jp; ko: euc-kr), every language (and the mixed
lines) in UTF-16 LE and BE without a BOM, and Latin text in cp1252: the ``fixed`` strings
of ftfy's test cases (``shared/peer/ftfy-test-cases``) that cp1252 encodes and that are
not plain ASCII, plus the Western European sentences below. For each codec and size
(10 B, 100 B, 1 kB, 20 kB) ``--n`` samples are cut from consecutive lines starting at a
random line (seeded), at a character boundary, as long as the size allows. A sample is
*read exactly* when a detector's text equals the original. The table gives that rate per
codec, for samples of 100 bytes and more and for samples of 10 bytes, per detector:

* ``cjkfix``: :func:`cjkfix.decode` (detection, then repair); ``cjkfix-detect``: its
  detection alone (``data.decode(detected)``);
* ``cn``: charset-normalizer, unguided (``str(from_bytes(data).best())``); ``cn-cjk``:
  restricted with ``cp_isolation`` to the encodings cjkfix knows;
* ``chardet``, ``chardet-cjk`` (chardet 7, if installed; restricted with
  ``include_encodings``).

A detector's answer that does not decode the sample strictly counts as not read.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import cjkfix
from cjkfix.decode import _decode_only

HERE = os.path.dirname(os.path.abspath(__file__))
SIZES = (10, 100, 1000, 20000)
CODECS: dict[str, tuple[str, ...]] = {
    "gbk": ("zh-Hans",),
    "gb18030": ("zh-Hans",),
    "big5": ("zh-Hant",),
    "shift_jis": ("ja",),
    "euc_jp": ("ja",),
    "euc_kr": ("ko",),
    "utf-16-le": ("zh-Hans", "zh-Hant", "ja", "ko", "mixed"),
    "utf-16-be": ("zh-Hans", "zh-Hant", "ja", "ko", "mixed"),
    "cp1252": ("latin",),
}
#: The encodings cjkfix knows, as charset-normalizer and chardet 7 name them (chardet
#: 7 has only the supersets: gb18030, big5hkscs, cp932, euc_jis_2004, cp949).
CHARDET_KNOWN = [
    "ascii",
    "utf-8",
    "utf-16-le",
    "utf-16-be",
    "gb18030",
    "big5hkscs",
    "cp932",
    "euc_jis_2004",
    "euc_kr",
    "cp949",
    "cp1252",
]
KNOWN = [
    "utf_8",
    "gb18030",
    "gbk",
    "big5",
    "big5hkscs",
    "cp950",
    "shift_jis",
    "cp932",
    "euc_jp",
    "euc_kr",
    "cp949",
    "utf_16_le",
    "utf_16_be",
    "cp1252",
]

#: Written for this benchmark (Apache-2.0, like cjkfix): everyday Western European
#: sentences, so that a 20 kB cp1252 sample is not one ftfy case repeated.
LATIN = """\
Le café de la place ouvre à sept heures, même le dimanche.
Nous avons réservé une chambre à l'hôtel près de la gare.
L'été dernier, j'ai appris à faire du pain complet à la maison.
Où est la bibliothèque municipale ? Elle a déménagé en février.
Les élèves préparent une pièce de théâtre pour la fête de l'école.
Il faut réécrire ce paragraphe : les idées sont trop mélangées.
¿Dónde está la estación de autobuses más cercana?
El niño comió una manzana y después se durmió en el sofá.
Mañana habrá reunión de vecinos a las ocho y media.
La canción que sonó en la radio era de los años ochenta.
Según el periódico, el puerto cerrará por obras en otoño.
Die Straße vor unserem Haus wird nächste Woche gesperrt.
Können Sie mir bitte sagen, wie spät es ist?
Über die Brücke fährt täglich ein Zug nach München.
Der Bäcker verkauft frische Brötchen schon ab sechs Uhr früh.
Wir müssen die Größe der Tür noch einmal genau messen.
A reunião foi adiada porque o diretor está em viagem.
Não se esqueça de levar o guarda-chuva, vai chover à tarde.
A informação sobre os horários está disponível na estação.
O pão de queijo é uma especialidade de Minas Gerais.
Il ristorante è chiuso il lunedì, ma apre già alle sei.
Perché non andiamo al mare sabato prossimo?
La città è famosa per le sue piazze e le sue chiese antiche.
Più tardi passerò in farmacia a prendere le medicine.
Vi har købt et nyt køleskab, og det gamle står i kælderen.
Hun går på søndag tur langs søen med sin hund.
Jag åt en smörgås på tåget till Göteborg.
Det är för kallt för att bada i sjön i maj.
Vår nabo har en stor hage med epletrær og bærbusker.
Het café aan het plein serveert ook ontbijt.
Hún fór í sund í gær og síðan á kaffihús.
Ça coûte vingt-cinq euros, taxes comprises.
Señor García, su pedido llegará el miércoles.
Großmutter erzählt gern von ihrer Kindheit auf dem Land.
L'économie locale dépend du tourisme et de la pêche.
El pingüino del zoológico se llama Ñoño.
Às vezes é difícil encontrar estacionamento no centro.
Naïve questions deserve patient answers, says the coöperative's rôle model.
Crème brûlée, façade, déjà vu and jalapeño are all English words now.
Die Öffnungszeiten ändern sich während der Ferien.
"""


def _latin_lines(shared: str) -> list[str]:
    lines = [s for s in LATIN.splitlines() if s]
    folder = os.path.join(shared, "peer", "ftfy-test-cases")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for case in json.load(f):
                s = case.get("fixed")
                if "garble" in case.get("label", ""):
                    continue  # "An absolutely hopeless garble": mojibake ftfy leaves
                if not isinstance(s, str) or s.isascii() or "\n" in s:
                    continue
                try:
                    s.encode("cp1252")
                except UnicodeEncodeError:
                    continue
                lines.append(s)
    return sorted(set(lines))


def _corpus(shared: str) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for lang in ("zh-Hans", "zh-Hant", "ja", "ko", "mixed"):
        with open(os.path.join(shared, "corpus", f"{lang}.dev.txt"), encoding="utf-8") as f:
            texts[lang] = [line.rstrip("\n") for line in f if line.strip()]
    texts["latin"] = _latin_lines(shared)
    return texts


def _cut(text: str, codec: str, size: int) -> str:
    """The longest prefix of ``text`` whose encoding is at most ``size`` bytes."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(text[:mid].encode(codec)) <= size:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo]


def build(shared: str, n: int, seed: int) -> list[tuple[str, int, str, bytes]]:
    """(codec, size, original text, bytes) for every sample, in a fixed order."""
    texts = _corpus(shared)
    rng = random.Random(seed)
    samples: list[tuple[str, int, str, bytes]] = []
    for codec, langs in CODECS.items():
        pools = {}
        for lang in langs:
            pool = []
            for line in texts[lang]:
                try:
                    line.encode(codec)
                except UnicodeEncodeError:
                    continue
                pool.append(line)
            pools[lang] = pool
        for size in SIZES:
            for i in range(n):
                pool = pools[langs[i % len(langs)]]
                start = rng.randrange(len(pool))
                parts: list[str] = []
                length = 0
                k = start
                while length <= size * 1.5 + 10:
                    parts.append(pool[k % len(pool)])
                    length += len(parts[-1].encode(codec)) + 1
                    k += 1
                text = _cut("\n".join(parts), codec, size)
                samples.append((codec, size, text, text.encode(codec)))
    return samples


def _decoded(data: bytes, name: str | None) -> str | None:
    if not name:
        return None
    try:
        return data.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def detectors() -> dict[str, Callable[[bytes], str | None]]:
    from charset_normalizer import from_bytes

    def cn(data: bytes) -> str | None:
        best = from_bytes(data).best()
        return None if best is None else str(best)

    def cn_cjk(data: bytes) -> str | None:
        best = from_bytes(data, cp_isolation=KNOWN).best()
        return None if best is None else str(best)

    found: dict[str, Callable[[bytes], str | None]] = {
        "cjkfix": lambda data: cjkfix.decode(data).text,
        "cjkfix-detect": lambda data: _decode_only(data)[0],
        "cn": cn,
        "cn-cjk": cn_cjk,
    }
    try:
        import chardet
    except ImportError:
        return found
    if int(chardet.__version__.split(".")[0]) >= 7:
        found["chardet"] = lambda data: _decoded(data, chardet.detect(data)["encoding"])
        found["chardet-cjk"] = lambda data: _decoded(
            data, chardet.detect(data, include_encodings=CHARDET_KNOWN)["encoding"]
        )
    return found


def run(
    samples: list[tuple[str, int, str, bytes]], chosen: list[str] | None = None
) -> dict[str, Any]:
    """Per detector: samples read exactly and samples, per codec and size; seconds."""
    results: dict[str, Any] = {}
    for name, detect in detectors().items():
        if chosen and name not in chosen:
            continue
        t0 = time.perf_counter()
        exact: dict[str, dict[str, list[int]]] = {}
        for codec, size, text, data in samples:
            cell = exact.setdefault(codec, {}).setdefault(str(size), [0, 0])
            try:
                out = detect(data)
            except Exception:
                out = None
            cell[0] += out == text
            cell[1] += 1
        results[name] = {"exact": exact, "seconds": round(time.perf_counter() - t0, 2)}
    return results


BANDS = (("≥ 100 B (100 B, 1 kB, 20 kB)", (100, 1000, 20000)), ("≤ 100 B (10 B, 100 B)", (10, 100)))


def table(results: dict[str, Any]) -> str:
    names = list(results)
    lines = []
    for title, sizes in BANDS:
        lines.append(f"\nRead exactly, samples of {title}:\n")
        lines.append("| codec | " + " | ".join(names) + " |")
        lines.append("|---|" + "---:|" * len(names))
        totals = {name: [0, 0] for name in names}
        for codec in CODECS:
            row = []
            for name in names:
                cells = results[name]["exact"][codec]
                read = sum(cells[str(size)][0] for size in sizes)
                count = sum(cells[str(size)][1] for size in sizes)
                totals[name][0] += read
                totals[name][1] += count
                row.append(f"{100 * read / count:.1f}%")
            lines.append(f"| {codec} | " + " | ".join(row) + " |")
        lines.append(
            "| **all** | "
            + " | ".join(f"**{100 * r / c:.1f}%** ({r}/{c})" for r, c in totals.values())
            + " |"
        )
    lines.append("\nPer size, all codecs:\n")
    lines.append("| size | " + " | ".join(names) + " |")
    lines.append("|---|" + "---:|" * len(names))
    for size in SIZES:
        row = []
        for name in names:
            cells = [c[str(size)] for c in results[name]["exact"].values()]
            read, count = sum(c[0] for c in cells), sum(c[1] for c in cells)
            row.append(f"{100 * read / count:.1f}%")
        lines.append(f"| {size} B | " + " | ".join(row) + " |")
    seconds = ", ".join(f"{name} {results[name]['seconds']}" for name in names)
    lines.append(f"\nSeconds per detector (all samples): {seconds}")
    return "\n".join(lines)


def failures(samples: list[tuple[str, int, str, bytes]], name: str) -> None:
    """Print the samples a detector does not read exactly."""
    detect = detectors()[name]
    for codec, size, text, data in samples:
        out = detect(data)
        if out != text:
            print(f"{codec} {size}: {text[:60]!r} -> {None if out is None else out[:60]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=os.path.join(HERE, "..", "..", "shared"))
    parser.add_argument("--n", type=int, default=40, help="samples per codec and size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="comma-separated detectors to run")
    parser.add_argument("--json", help="write the counts here")
    parser.add_argument("--failures", metavar="DETECTOR", help="list a detector's misses")
    args = parser.parse_args(argv)
    needed = [os.path.join(args.shared, "corpus"), os.path.join(args.shared, "peer")]
    missing = [p for p in needed if not os.path.isdir(p)]
    if missing:
        print(
            f"benchmarks/detect.py needs the shared data ({', '.join(missing)} not found): "
            "pass --shared DIR",
            file=sys.stderr,
        )
        return 2
    samples = build(args.shared, args.n, args.seed)
    if args.failures:
        failures(samples, args.failures)
        return 0
    results = run(samples, args.only.split(",") if args.only else None)
    print(table(results))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
