#!/usr/bin/env python3
"""Generates a course with N quiz questions for bench/quiz/run.sh.

    gen_banks.py DIR [QUESTIONS] [BANKS]

Writes DIR/course.yaml, one small chapter per bank (with a case page) and
DIR/quizzes/NN-chapter.yaml, the questions spread over the banks and the six
types in the proportions of a real Chinese question bank (many single and
multiple choice, fewer free answers), plus an exam drawing from all of them.
Deterministic: the same arguments give the same files.
"""
import os
import random
import sys

WORDS = "客户 服务 企业 员工 需求 期望 投诉 满意 忠诚 沟通 倾听 微笑 礼仪 档案 价值 质量 流程 信任 承诺 体验".split()


def sentence(rng, n):
    return "".join(rng.choice(WORDS) for _ in range(n)) + "。"


def question(rng, bank, i):
    kind = rng.choices(["single", "multiple", "true_false", "fill", "short", "case"], [40, 20, 15, 12, 10, 3])[0]
    qid = f"b{bank}-q{i}"
    lines = [f"  - id: {qid}", f"    type: {kind}"]
    if kind != "case":
        prompt = sentence(rng, 12)
        if kind == "fill":
            prompt = sentence(rng, 5) + "____，" + sentence(rng, 4) + "____。"
        lines.append(f"    prompt: {prompt}")
    if kind in ("single", "multiple"):
        opts = [sentence(rng, 3) for _ in range(4)]
        lines.append("    options: [" + ", ".join(opts) + "]")
        lines.append("    answer: " + ("B" if kind == "single" else "[A, C]"))
    elif kind == "true_false":
        lines.append("    answer: " + rng.choice(["对", "错"]))
    elif kind == "fill":
        lines.append(f"    answer: [{rng.choice(WORDS)}, [{rng.choice(WORDS)}, {rng.choice(WORDS)}]]")
    elif kind == "short":
        lines.append("    key_points:")
        for _ in range(4):
            lines.append(f"      - text: {sentence(rng, 4)}")
            lines.append(f"        synonyms: [{rng.choice(WORDS)}]")
        lines.append("    cap: 3")
    else:
        lines.append(f"    case: chapter-{bank}/case-study")
        lines.append("    questions:")
        for _ in range(2):
            lines.append(f"      - prompt: {sentence(rng, 8)}")
            lines.append(f"        key_points: [{sentence(rng, 4)}, {sentence(rng, 4)}]")
    lines.append(f"    explanation: {sentence(rng, 20)}")
    lines.append(f"    tags: [{rng.choice(WORDS)}]")
    return "\n".join(lines)


def main():
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    banks = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    rng = random.Random(1)
    os.makedirs(os.path.join(out, "quizzes", "exams"), exist_ok=True)
    with open(os.path.join(out, "course.yaml"), "w") as f:
        f.write("title: 题库基准\nsearch:\n  enabled: false\n")
    per = total // banks
    for b in range(1, banks + 1):
        folder = os.path.join(out, "content", f"{b:02d}-chapter-{b}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "index.md"), "w") as f:
            f.write(f"---\ntitle: 第 {b} 章\n---\n\n{sentence(rng, 30)}\n")
        with open(os.path.join(folder, "case-study.md"), "w") as f:
            f.write(f"---\ntitle: 案例 {b}\nkind: case\nquestions:\n  - prompt: 为什么？\n    points: [{sentence(rng, 4)}]\n---\n\n{sentence(rng, 60)}\n")
        count = per if b < banks else total - per * (banks - 1)
        with open(os.path.join(out, "quizzes", f"{b:02d}-chapter-{b}.yaml"), "w") as f:
            f.write(f"chapter: chapter-{b}\ntitle: 第 {b} 章练习\nshuffle: true\nmultiple_scoring: partial\nquestions:\n")
            f.write("\n".join(question(rng, b, i) for i in range(count)) + "\n")
    with open(os.path.join(out, "quizzes", "exams", "final.yaml"), "w") as f:
        f.write("title: 期末\nseed: 1\ntime_limit: 90\nsections:\n"
                "  - title: 一、单项选择题\n    points: 2\n    draw: [{ chapter: all, type: single, count: 20 }]\n"
                "  - title: 二、判断题\n    draw: [{ chapter: all, type: true_false, count: 10 }]\n"
                "  - title: 三、简答题\n    draw: [{ chapter: all, type: short, count: 4 }]\n")


if __name__ == "__main__":
    main()
