#!/usr/bin/env python3
"""check_trace.py -- checks a PLAT_TRACE file for consistency.

    check_trace.py TRACE.json [--expect-wait WHAT@LOC]... [--expect-end END]...
                   [--expect-gc] [--min-tasks N] [--allow-unfinished]

Always checked (runtime/trace.c describes the format):
  - the file is one JSON document with "traceEvents" and no dropped events;
  - on each track (tid) the complete slices ("X") never overlap;
  - every task's runs never overlap each other (a task runs on one worker
    at a time), it ends exactly once (done, panicked or cancelled) with its
    last run, and nothing of it runs after that;
  - every task but main has a spawn flow, and every flow is joined: one
    start ("s") and one finish ("f") per (cat, id), the finish later than
    the start, each inside a slice of its own track; a finish inside a run
    of the task the flow names (the first run for a spawn flow);
  - every run that ended blocked names its wait ("wait").
Options add expectations: a blocked run waiting on WHAT at LOC ("channel
recv@demo.plat:7"; LOC may be only the line's suffix, e.g. "demo.plat:7"),
a run ending in END ("preempted", "yield", ...), at least one GC pause,
at least N tasks.  --allow-unfinished accepts tasks that never end (a
program that exited from a task or deadlocked: their last run ended
blocked, or was cut by the end of the trace).
Prints a one-line summary; exit status 1 with the problems otherwise.
"""
import bisect
import json
import sys
from collections import defaultdict

TERMINAL = {"done", "panicked", "cancelled"}


def ns(us):
    return int(round(float(us) * 1000))


def main(argv):
    args = argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    path, opts = args[0], args[1:]
    expect_waits, expect_ends = [], []
    expect_gc, allow_unfinished, min_tasks = False, False, 0
    i = 0
    while i < len(opts):
        o = opts[i]
        if o == "--expect-wait":
            expect_waits.append(opts[i + 1]); i += 2
        elif o == "--expect-end":
            expect_ends.append(opts[i + 1]); i += 2
        elif o == "--min-tasks":
            min_tasks = int(opts[i + 1]); i += 2
        elif o == "--expect-gc":
            expect_gc = True; i += 1
        elif o == "--allow-unfinished":
            allow_unfinished = True; i += 1
        else:
            print("check_trace: unknown option %s" % o, file=sys.stderr)
            return 2
    problems = []

    def bad(msg):
        if len(problems) < 30:
            problems.append(msg)

    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print("check_trace: %s: not a JSON document: %s" % (path, e), file=sys.stderr)
        return 1
    events = doc.get("traceEvents")
    if not isinstance(events, list):
        print("check_trace: no traceEvents list", file=sys.stderr)
        return 1
    dropped = doc.get("otherData", {}).get("dropped_events")
    if dropped != "0":
        bad("dropped_events is %r, expected \"0\"" % dropped)

    slices = [e for e in events if e.get("ph") == "X"]
    for e in slices:
        e["_b"] = ns(e["ts"])
        e["_e"] = e["_b"] + ns(e["dur"])
    by_tid = defaultdict(list)
    for e in slices:
        by_tid[e["tid"]].append(e)
    for tid, l in by_tid.items():
        l.sort(key=lambda e: (e["_b"], e["_e"]))
        for a, b in zip(l, l[1:]):
            if b["_b"] < a["_e"]:
                bad("track %s: slices overlap: %s at %s and %s at %s" %
                    (tid, a["name"], a["ts"], b["name"], b["ts"]))

    runs = [e for e in slices if e.get("cat") == "task"]
    tasks = defaultdict(list)
    main_ids = set()
    def key(args):
        """A task: its id, within its deterministic schedule if any."""
        return (args.get("schedule", 0), args.get("task"))

    for e in runs:
        a = e.get("args", {})
        if "task" not in a or "end" not in a:
            bad("task slice without task/end: %s" % e)
            continue
        tasks[key(a)].append(e)
        if e["name"] == "main":
            main_ids.add(key(a))
        if a["end"] == "blocked" and "wait" not in a:
            bad("task %s: blocked run at %s does not say what it waits on" % (a["task"], e["ts"]))
    for t, l in tasks.items():
        l.sort(key=lambda e: e["_b"])
        for a, b in zip(l, l[1:]):
            if b["_b"] < a["_e"]:
                bad("task %s runs twice at once (%s and %s)" % (t, a["ts"], b["ts"]))
        ends = [e for e in l if e["args"]["end"] in TERMINAL]
        last = l[-1]["args"]["end"]
        if len(ends) > 1:
            bad("task %s ends %d times" % (t, len(ends)))
        elif not ends and not allow_unfinished:
            bad("task %s never ends (last run ended: %s)" % (t, last))
        elif ends and ends[0] is not l[-1]:
            bad("task %s runs after it ended" % t)

    starts = {tid: [e["_b"] for e in l] for tid, l in by_tid.items()}

    def enclosing(tid, ts):
        """The slice of track tid containing ts (slices do not overlap)."""
        l = by_tid.get(tid, [])
        k = bisect.bisect_right(starts.get(tid, []), ts) - 1
        if k >= 0 and l[k]["_b"] <= ts <= l[k]["_e"]:
            return l[k]
        return None

    flows = defaultdict(lambda: {"s": [], "f": []})
    for e in events:
        if e.get("ph") in ("s", "f"):
            flows[(e.get("cat"), e.get("id"))][e["ph"]].append(e)
    spawned = set()
    for (cat, fid), d in flows.items():
        if len(d["s"]) != 1 or len(d["f"]) != 1:
            bad("flow %s %s: %d starts, %d finishes" % (cat, fid, len(d["s"]), len(d["f"])))
            continue
        s, f = d["s"][0], d["f"][0]
        if ns(f["ts"]) <= ns(s["ts"]):
            bad("flow %s %s finishes before it starts" % (cat, fid))
        if not enclosing(s["tid"], ns(s["ts"])):
            bad("flow %s %s starts outside any slice of track %s" % (cat, fid, s["tid"]))
        into = enclosing(f["tid"], ns(f["ts"]))
        task = key(s.get("args", {}))
        if task[1] is None or key(f.get("args", {})) != task:
            bad("flow %s %s: start and finish name different tasks" % (cat, fid))
        elif cat == "spawn" and fid != (task[0] << 32 | task[1]):
            bad("spawn flow %s is not numbered by its task %s" % (fid, task))
        if not into or into.get("cat") != "task" or key(into["args"]) != task:
            bad("flow %s %s does not finish in a run of task %s" % (cat, fid, task))
        elif cat == "spawn":
            spawned.add(task)
            if tasks[task][0] is not into:
                bad("spawn flow of task %s does not end at its first run" % task)
        if f.get("bp") != "e":
            bad("flow %s %s: finish not bound to its enclosing slice" % (cat, fid))
    for t in tasks:
        if t not in main_ids and t not in spawned:
            bad("task %s has no spawn flow" % t)

    for w in expect_waits:
        what, _, loc = w.partition("@")
        if not any(e["args"].get("wait") == what and e["args"].get("at", "").endswith(loc)
                   for e in runs if e["args"].get("end") == "blocked"):
            bad("no run blocked in %s at %s" % (what, loc))
    for end in expect_ends:
        if not any(e["args"].get("end") == end for e in runs):
            bad("no run ends with %s" % end)
    gc = [e for e in slices if e.get("cat") == "gc"]
    if expect_gc and not gc:
        bad("no GC pause")
    if len(tasks) < min_tasks:
        bad("%d tasks, expected at least %d" % (len(tasks), min_tasks))

    if problems:
        for p in problems:
            print("check_trace: %s: %s" % (path, p), file=sys.stderr)
        return 1
    workers = sum(1 for tid, l in by_tid.items() if any(e.get("cat") == "task" for e in l))
    nflows = sum(1 for d in flows.values() if d["s"])
    print("trace ok: %d tasks, %d runs on %d workers, %d flows, %d GC pauses" %
          (len(tasks), len(runs), workers, nflows, len(gc)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
