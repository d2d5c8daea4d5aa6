"""Peak memory of chunked_cross_entropy against F.cross_entropy(hidden @ weight.T, target).

Each variant runs forward + backward in a fresh Python process (CPU). The measure is the growth
of the process's peak resident set size during forward + backward: the resident set (VmRSS) is
read just before the loss is computed, the kernel's high-water mark (VmHWM) is reset to it by
writing "5" to /proc/self/clear_refs, and VmHWM is read again after backward. Imports, inputs
and a warm-up are therefore excluded from both variants. Where /proc is unavailable the script
falls back to ru_maxrss, which can under-count growth that stays below an earlier peak. The
script also prints the theoretical size of the full (N, V) logits matrix for comparison.

Usage: python3 bench/chunked_cross_entropy_memory.py [--tokens N] [--hidden H] [--vocab V] [--chunk C]
"""
import argparse
import json
import pathlib
import subprocess
import sys

SNIPPET = pathlib.Path(__file__).resolve().parents[1] / "paper-data" / "snippets" / "pytorch" / "cut-cross-entropy.py"

_CHILD = r"""
import importlib.util, json, resource, sys
import torch
import torch.nn.functional as F

variant, n, h, v, chunk, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
spec = importlib.util.spec_from_file_location("cut_cross_entropy_snippet", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
torch.manual_seed(0)
torch.set_num_threads(1)

def run(hidden, weight, target):
    if variant == "plain":
        loss = F.cross_entropy(hidden @ weight.T, target)
    else:
        loss = module.chunked_cross_entropy(hidden, weight, target, chunk_size=chunk)
    loss.backward()
    return loss.item()

# Warm-up on tiny tensors so that kernel initialisation is not counted.
small = (torch.randn(4, h, requires_grad=True), torch.randn(8, h, requires_grad=True), torch.randint(0, 8, (4,)))
run(*small)

def status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)

hidden = torch.randn(n, h, requires_grad=True)
weight = torch.randn(v, h, requires_grad=True)
target = torch.randint(0, v, (n,))
try:
    before = status_kib("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    method = "VmHWM after clear_refs"
except OSError:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    method = "ru_maxrss"
value = run(hidden, weight, target)
after = status_kib("VmHWM") if method != "ru_maxrss" else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"variant": variant, "loss": value, "peak_growth_kib": after - before, "method": method}))
"""


def measure(tokens: int, hidden: int, vocab: int, chunk: int, python: str = sys.executable) -> dict:
    """Run both variants in subprocesses and return their measurements."""
    results = {}
    for variant in ("plain", "chunked"):
        completed = subprocess.run(
            [python, "-c", _CHILD, variant, str(tokens), str(hidden), str(vocab), str(chunk), str(SNIPPET)],
            check=True,
            capture_output=True,
            text=True,
        )
        results[variant] = json.loads(completed.stdout.strip().splitlines()[-1])
    results["logits_mib"] = tokens * vocab * 4 / 2**20
    results["chunk_logits_mib"] = tokens * min(chunk, vocab) * 4 / 2**20
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=4096)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--vocab", type=int, default=32768)
    parser.add_argument("--chunk", type=int, default=1024)
    args = parser.parse_args()
    r = measure(args.tokens, args.hidden, args.vocab, args.chunk)
    plain = r["plain"]["peak_growth_kib"] / 1024
    chunked = r["chunked"]["peak_growth_kib"] / 1024
    print(f"N={args.tokens} H={args.hidden} V={args.vocab} chunk={args.chunk} float32, CPU, forward+backward")
    print(f"full logits (N x V) would take {r['logits_mib']:.1f} MiB; one chunk {r['chunk_logits_mib']:.1f} MiB")
    print(f"plain   F.cross_entropy(hidden @ weight.T): peak RSS growth {plain:8.1f} MiB (loss {r['plain']['loss']:.6f})")
    print(f"chunked chunked_cross_entropy:              peak RSS growth {chunked:8.1f} MiB (loss {r['chunked']['loss']:.6f})")
    print(f"ratio chunked / plain = {chunked / plain:.3f}   (measured with {r['plain']['method']})")


if __name__ == "__main__":
    main()
