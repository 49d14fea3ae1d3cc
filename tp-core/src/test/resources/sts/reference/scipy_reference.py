"""Reference values for the eval package's tests, computed independently of the Java code.

Run from the repository root (Debian 12: apt-get install -y python3-scipy gives scipy 1.10.1, numpy 1.24.2):

    /usr/bin/python3 tp-core/src/test/resources/sts/reference/scipy_reference.py tp-core/src/test/resources/sts

Every number the tests compare against is printed by this script; the tests say which section it came from.
The data loading below re-implements SentEval's sts.py (the copy in the Token Prepending repository) in a few
lines: STS12-16 via io.open(...).read().splitlines(), l.split("\t"), empty gold lines dropped, s.split();
STS-B / SICK via `for line in f`, line.strip().split('\t'); sentences are ' '.join(tokens) as in the batcher.
"""
import gzip
import io
import os
import sys

import numpy as np
from scipy.stats import pearsonr, rankdata, spearmanr


def show(name, value):
    print(f"{name} = {float(value)!r}")


def correlations():
    print("## correlations")
    # textbook example with ties, and the Wikipedia IQ / TV-hours example (no ties)
    show("spearman ties [1,2,2,3] [1,3,2,4]", spearmanr([1, 2, 2, 3], [1, 3, 2, 4])[0])
    iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110]
    tv = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17]
    show("spearman iq tv", spearmanr(iq, tv)[0])
    x = [0.5, 2.25, 2.25, 3.0, -1.0, 7.5, 3.0, 3.0, 0.0, 4.125]
    y = [1.0, 0.0, 2.0, 2.0, -3.5, 9.0, 2.0, 5.25, 0.0, 1.0]
    print("x =", x)
    print("y =", y)
    print("rankdata(x) =", list(rankdata(x)))
    print("rankdata(y) =", list(rankdata(y)))
    show("spearman x y", spearmanr(x, y)[0])
    show("pearson x y", pearsonr(x, y)[0])
    yneg = [-v for v in y]
    show("spearman x -y", spearmanr(x, yneg)[0])
    show("pearson x -y", pearsonr(x, yneg)[0])
    show("spearman x constant", spearmanr(x, [2.0] * len(x))[0])
    show("pearson x constant", pearsonr(x, [2.0] * len(x))[0])


def cosines():
    print("## cosine (float32 inputs, computed in float64 as dot / (sqrt(uu) * sqrt(vv)))")
    u = np.array([0.1, -0.2, 0.3, 0.4], dtype=np.float32).astype(np.float64)
    v = np.array([1.5, 0.25, -0.75, 2.0], dtype=np.float32).astype(np.float64)
    show("cos u v", np.dot(u, v) / (np.sqrt(np.dot(u, u)) * np.sqrt(np.dot(v, v))))


def formatting():
    print("## '%.2f' % (x * 100)")
    for x in [0.01005, 0.02675, 0.12345, 0.00125, 0.00375, -0.00001, 0.6690049999999]:
        print(f"{x!r} -> {'%.2f' % (x * 100)}")


# The constructed example of StsEvaluatorTest: two subsets, each perfectly monotone, but not jointly.
VECTORS = {
    "a man is playing a guitar .": (1, 0),
    "a woman slices an onion .": (1, 0),
    "a man plays a flute .": (3, 4),
    "a man plays a violin .": (4, 3),
    "a man plays the guitar .": (24, 7),
    "a woman peels a potato .": (7, 24),
    "a woman cuts a potato .": (5, 12),
    "a man plays a guitar .": (8, 15),
    "a woman is cutting an onion .": (1, 1),
}
ALPHA_INPUT = ("a man is  playing a guitar .\ta man plays a flute .\n"
               "the cat sleeps .\tthe dog barks .\n"
               "a man is playing a guitar .\ta man plays a violin .\n"
               "  a man is playing a guitar .  \ta man plays the guitar .\n")
ALPHA_GOLD = "1.0\n\n2.0\n3.0\n"
BETA_INPUT = ("a woman slices an onion .\ta woman peels a potato .\n"
              "a woman slices an onion .\ta woman cuts a potato .\n"
              "a man is playing a guitar .\ta man plays a guitar .\n"
              "a woman slices an onion .\ta woman is cutting an onion .\n")
BETA_GOLD = "3.5\n4.0\n4.5\n5.0\n"


def cosine(u, v):
    u = np.nan_to_num(np.asarray(u, dtype=np.float64))
    v = np.nan_to_num(np.asarray(v, dtype=np.float64))
    return np.nan_to_num(np.dot(u, v) / (np.sqrt(np.dot(u, u)) * np.sqrt(np.dot(v, v))))


def sts_subset(input_text, gold_text):
    sent1, sent2 = zip(*[l.split("\t") for l in input_text.splitlines()])
    raw = np.array(gold_text.splitlines())
    keep = raw != ''
    gold = [float(g) for g in raw[keep]]
    s1 = [' '.join(s.split()) for s in np.array(sent1, dtype=object)[keep]]
    s2 = [' '.join(s.split()) for s in np.array(sent2, dtype=object)[keep]]
    return s1, s2, gold


def aggregate(label, subsets, embed):
    all_sys, all_gold = [], []
    for name, (s1, s2, gold) in subsets:
        sys_scores = [cosine(embed(a), embed(b)) for a, b in zip(s1, s2)]
        all_sys += sys_scores
        all_gold += gold
        if len(subsets) > 1:
            show(f"{label} {name} spearman", spearmanr(sys_scores, gold)[0])
            show(f"{label} {name} pearson", pearsonr(sys_scores, gold)[0])
    show(f"{label} all spearman", spearmanr(all_sys, all_gold)[0])
    show(f"{label} all pearson", pearsonr(all_sys, all_gold)[0])
    print(f"{label} pairs = {len(all_gold)}")


def constructed():
    print("## constructed two-subset example")
    subsets = [("alpha", sts_subset(ALPHA_INPUT, ALPHA_GOLD)), ("beta", sts_subset(BETA_INPUT, BETA_GOLD))]
    aggregate("constructed", subsets, lambda s: VECTORS[s])


# The letter-count embedder of StsEvaluatorTest: counts of 'a'..'z' then '0'..'9' (case-sensitive).
def letter_counts(sentence):
    v = np.zeros(36)
    for c in sentence:
        if 'a' <= c <= 'z':
            v[ord(c) - ord('a')] += 1
        elif '0' <= c <= '9':
            v[26 + ord(c) - ord('0')] += 1
    return v


def read_text(path):
    if os.path.exists(path):
        return io.open(path, encoding='utf8').read()
    return io.TextIOWrapper(gzip.open(path + '.gz'), encoding='utf8').read()


STS = {
    "STS12": ("STS12-en-test", ['MSRpar', 'MSRvid', 'SMTeuroparl', 'surprise.OnWN', 'surprise.SMTnews']),
    "STS13": ("STS13-en-test", ['FNWN', 'headlines', 'OnWN']),
    "STS14": ("STS14-en-test", ['deft-forum', 'deft-news', 'headlines', 'images', 'OnWN', 'tweet-news']),
    "STS15": ("STS15-en-test", ['answers-forums', 'answers-students', 'belief', 'headlines', 'images']),
    "STS16": ("STS16-en-test", ['answer-answer', 'headlines', 'plagiarism', 'postediting', 'question-question']),
}


def tsv_pairs(path, skip_header, a, b, score):
    s1, s2, gold = [], [], []
    with io.StringIO(read_text(path), newline=None) as f:
        for i, line in enumerate(f):
            if skip_header and i == 0:
                continue
            text = line.strip().split('\t')
            s1.append(' '.join(text[a].split()))
            s2.append(' '.join(text[b].split()))
            gold.append(float(text[score]))
    return s1, s2, gold


def real_data(root):
    print("## letter-count embedder on the real data")
    for task, (folder, names) in STS.items():
        subsets = []
        for name in names:
            d = os.path.join(root, folder)
            subsets.append((name, sts_subset(read_text(f"{d}/STS.input.{name}.txt"), read_text(f"{d}/STS.gs.{name}.txt"))))
        aggregate(task, subsets, letter_counts)
    aggregate("STS-B", [("test", tsv_pairs(os.path.join(root, "STSBenchmark/sts-test.csv"), False, 5, 6, 4))],
              letter_counts)
    aggregate("SICK-R", [("test", tsv_pairs(os.path.join(root, "SICK/SICK_test_annotated.txt"), True, 1, 2, 3))],
              letter_counts)


if __name__ == "__main__":
    correlations()
    cosines()
    formatting()
    constructed()
    real_data(sys.argv[1])
