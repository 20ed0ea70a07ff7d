#!/usr/bin/env python3
"""Adds translation keys to app/locales/{fr,ar,en}.json from a Python file defining
K = [(dotted.key, fr, ar, en), ...]. Existing keys are overwritten; order is kept."""
import json, sys, runpy

keys = runpy.run_path(sys.argv[1])["K"]
for i, lang in enumerate(["fr", "ar", "en"]):
    path = f"app/locales/{lang}.json"
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for entry in keys:
        parts = entry[0].split(".")
        node = data
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = entry[1 + i]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")
