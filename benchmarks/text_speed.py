"""Time extract_indicators on long and hostile texts: it must grow in step with the length.

    python benchmarks/text_speed.py

Each input is timed at 25k, 50k and 100k characters (best of three). Inputs: a run of digits
("1" × n, which a backtracking number pattern takes quadratic time on), "省外1亿元，" repeated
(thousands of figures in one sentence, which rescanning rows per figure makes quadratic),
report prose repeated, random characters drawn from the ones reports use, "、" and "(" runs,
and a text with no sentence ends. Prints seconds and the ratio 100k / 50k (about 2 when
linear): wall seconds, and at 100k the processor seconds of the process, which other work on a
shared machine moves less.
"""

from __future__ import annotations

import random
import time

from zsanalytics.text import extract_indicators

PROSE = ("1-6月,全县实际到位资金10.36亿元,同比增长59.8%,完成年度目标任务27亿元的38.4%,"
         "低于序时进度11.6个百分点,"
         "占全市到位资金的37.2%;其中:省外3.75亿元,同比下降3.4%;省内6.61亿元,同比增长154.2%。"
         "霍山县34个、金寨县32个,项目履约率、开工率与资金到位率分别为98.8%、90%和34%。")
ALPHABET = ("0123456789.,、;:()%xX亿万元个项省外内全县市到位资金同比增长下降完成任务的其中分别"
            "序时进度超低于约近余 \n。")


def make(kind: str, n: int) -> str:
    rng = random.Random(n)
    if kind == "digits":
        return "1" * n
    if kind == "figures":
        return ("省外1亿元，" * (n // 6 + 1))[:n]
    if kind == "prose":
        return (PROSE * (n // len(PROSE) + 1))[:n]
    if kind == "random":
        return "".join(rng.choice(ALPHABET) for _ in range(n))
    if kind == "enumeration":
        return "、" * n
    if kind == "brackets":
        return ("(" * (n // 2)) + ("1亿元" * (n // 6))
    if kind == "one sentence":
        return ("到位资金1.5亿元,同比增长3%,完成任务的50%," * (n // 25 + 1))[:n]
    raise ValueError(kind)


def best(text: str, repeat: int = 3, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        t0 = clock()
        extract_indicators(text)
        times.append(clock() - t0)
    return min(times)


def main() -> None:
    kinds = ["digits", "figures", "prose", "random", "enumeration", "brackets", "one sentence"]
    print(f"{'input':14s} {'25k s':>8s} {'50k s':>8s} {'100k s':>8s} {'100k/50k':>9s} "
          f"{'100k cpu s':>10s} rows@100k")
    for kind in kinds:
        seconds = [best(make(kind, n)) for n in (25_000, 50_000, 100_000)]
        cpu = best(make(kind, 100_000), clock=time.process_time)   # less moved by other load
        rows = len(extract_indicators(make(kind, 100_000)))
        print(f"{kind:14s} {seconds[0]:8.3f} {seconds[1]:8.3f} {seconds[2]:8.3f} "
              f"{seconds[2] / seconds[1]:9.2f} {cpu:10.3f} {rows}")
    t = best("1" * 16000)
    t2 = best(("省外1亿元，" * 11000)[:64000])
    print(f'\n"1" * 16000: {t:.3f} s; 64k characters of "省外1亿元，": {t2:.3f} s')


if __name__ == "__main__":
    main()
