#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
uapi-abicheck.py - prove that two versions of a uapi header have the same ABI.

Usage: uapi-abicheck.py [options] REFERENCE_HEADER NEW_HEADER

The REFERENCE header is the one whose ABI must be kept (e.g. the 6.1 release
header), NEW is ours.  For one compilation target (compiler + flags) it

 1. lists everything each header defines: object- and function-like macros
    (from "cc -E -dD", attributed to the header by line markers), and
    structs, unions, enums, enum constants, typedefs and any other
    declaration (from clang's JSON AST);
 2. compares those sets by name, and compares the shape of every struct and
    union: member order, nesting of anonymous structs/unions, member names,
    spelled and canonical types, bitfield widths and attributes such as
    packed/aligned;
 3. writes a C file that includes both headers in one translation unit - the
    reference one first with all its tags, enum constants and typedefs
    renamed to __abi_ref_*, its macros then #undef'd and re-created under
    __abi_rm_* names - and holds a _Static_assert for every fact:
      macro values and macro types, enum constant values, enum sizes and
      signedness, struct/union sizes and alignments, member offsets,
      member sizes and member type compatibility;
    bitfields (which have no offsetof) get a run-time bit-pattern check;
 4. compiles it (and runs it when it has run-time checks and the target is
    the host).

Exit status 0 only if every check passed.  Requires python3, clang (for the
AST) and the compiler given with --cc (default: cc).
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

REF_TAG = "__abi_ref_"		# prefix for renamed reference identifiers
REF_MACRO = "__abi_rm_"		# prefix for re-created reference macros

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ANON = re.compile(r"\((?:anonymous|unnamed)(?: struct| union| enum)? at [^)]*\)")


class Fail(Exception):
	pass


def run(cmd, **kw):
	return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
			      universal_newlines=True, **kw)


# ---------------------------------------------------------------- includes

def header_includes(path):
	"""The #include lines of a header, in order."""
	incs = []
	with open(path) as f:
		for line in f:
			m = re.match(r"\s*#\s*include\s*([<\"][^>\"]+[>\"])", line)
			if m:
				incs.append(m.group(1))
	return incs


def include_guard(path):
	"""Name of the classic #ifndef X / #define X include guard, or None."""
	with open(path) as f:
		text = f.read()
	text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
	lines = [l.strip() for l in text.splitlines() if l.strip()]
	if len(lines) >= 2:
		m1 = re.match(r"#\s*ifndef\s+(\w+)$", lines[0])
		m2 = re.match(r"#\s*define\s+(\w+)$", lines[1])
		if m1 and m2 and m1.group(1) == m2.group(1):
			return m1.group(1)
	return None


# ------------------------------------------------------------------ macros

def header_macros(cc, cflags, prelude, header, workdir):
	"""{name: (params or None, body)} for the #defines made by header."""
	src = os.path.join(workdir, "macros.c")
	with open(src, "w") as f:
		f.write(prelude)
		f.write('#include "%s"\n' % header)
	r = run([cc] + cflags + ["-E", "-dD", src])
	if r.returncode:
		raise Fail("preprocessing %s failed:\n%s" % (header, r.stderr))
	real = os.path.realpath(header)
	cur = None
	macros = {}
	undefs = []
	for line in r.stdout.splitlines():
		m = re.match(r'#\s+\d+\s+"([^"]*)"', line)
		if m:
			cur = m.group(1)
			continue
		if cur is None or os.path.realpath(cur) != real:
			continue
		m = re.match(r"#define\s+(\w+)(\([^)]*\))?\s?(.*)$", line)
		if m:
			params = None
			if m.group(2) is not None:
				params = [p.strip() for p in
					  m.group(2)[1:-1].split(",") if p.strip()]
			macros[m.group(1)] = (params, m.group(3).strip())
			continue
		m = re.match(r"#undef\s+(\w+)", line)
		if m:
			undefs.append(m.group(1))
	return macros, undefs


def norm_tokens(body):
	"""Whitespace-insensitive token string of a macro body."""
	toks = re.findall(r"[A-Za-z_]\w*|\d[\w.]*|\"(?:\\.|[^\"])*\"|'(?:\\.|[^'])*'|\S",
			  body)
	return " ".join(toks)


# --------------------------------------------------------------------- AST

def clang_ast(clang, cflags, prelude, header, workdir):
	"""Top-level AST nodes that header itself declares."""
	def dump(text, name):
		src = os.path.join(workdir, name)
		with open(src, "w") as f:
			f.write(text)
		r = run([clang] + cflags + ["-fsyntax-only", "-Wno-everything",
					    "-Xclang", "-ast-dump=json", src])
		if r.returncode:
			raise Fail("clang AST dump of %s failed:\n%s" %
				   (name, r.stderr))
		return json.loads(r.stdout)["inner"]

	# The header's own includes are all in the prelude (and guarded), so
	# its declarations are exactly the nodes after the prelude's ones.
	before = dump(prelude, "ast_pre.c")
	after = dump(prelude + '#include "%s"\n' % header, "ast_hdr.c")
	if len(after) < len(before):
		raise Fail("AST of %s is shorter than its prelude" % header)
	for a, b in zip(before, after):
		if (a.get("kind"), a.get("name")) != (b.get("kind"), b.get("name")):
			raise Fail("prelude AST changed when %s was added" % header)
	return after[len(before):]


def tname(t):
	"""Normalised (spelled, canonical) type strings of an AST type."""
	q = ANON.sub("<anon>", t.get("qualType", ""))
	d = ANON.sub("<anon>", t.get("desugaredQualType", q))
	q = re.sub(r"\b(struct|union|enum) \w+::<anon>", r"\1 <anon>", q)
	d = re.sub(r"\b(struct|union|enum) \w+::<anon>", r"\1 <anon>", d)
	return q, d


def node_attrs(node):
	"""Attributes of a declaration, with their arguments if any."""
	out = []
	for n in node.get("inner", []):
		if n["kind"].endswith("Attr"):
			vals = re.findall(r"'value': '([^']*)'", str(n))
			out.append(n["kind"] + ("(%s)" % ",".join(vals)
						if vals else ""))
	return sorted(out)


def bitfield_width(field):
	for n in field.get("inner", []):
		if "value" in n:
			return int(n["value"])
	return None


class Record:
	def __init__(self, tag, name):
		self.tag = tag			# "struct" / "union"
		self.name = name
		self.shape = []			# strings describing the layout
		self.members = []		# dicts: path, spelled, canon, bits


def walk_record(node, rec, prefix, depth):
	"""Append shape lines and member entries of a record body to rec."""
	pending = None			# last nested RecordDecl seen
	ind = "  " * depth
	for n in node.get("inner", []):
		k = n["kind"]
		if k == "RecordDecl":
			if n.get("name"):
				# a named struct declared inside another one:
				# it has file scope in C, checked on its own
				rec.nested.append(n)
				rec.shape.append("%s%s %s (declared here)" %
						 (ind, n["tagUsed"], n["name"]))
			pending = n
		elif k == "FieldDecl":
			spelled, canon = tname(n.get("type", {}))
			if n.get("isImplicit") or not n.get("name"):
				if pending is None:
					raise Fail("anonymous member without body in %s"
						   % rec.name)
				rec.shape.append("%s%s { %s" %
						 (ind, pending["tagUsed"],
						  " ".join(node_attrs(pending))))
				walk_record(pending, rec, prefix, depth + 1)
				rec.shape.append("%s}" % ind)
				pending = None
				continue
			path = prefix + n["name"]
			bits = bitfield_width(n) if n.get("isBitfield") else None
			line = "%s%s: %s / %s" % (ind, n["name"], spelled, canon)
			if bits is not None:
				line += " :%d" % bits
			if node_attrs(n):
				line += " " + " ".join(node_attrs(n))
			rec.shape.append(line)
			rec.members.append(dict(path=path, spelled=spelled,
						canon=canon, bits=bits))
			if "<anon>" in spelled and pending is not None and \
			   not pending.get("name"):
				# named member of an unnamed struct/union type
				rec.shape.append("%s{ %s" %
						 (ind, " ".join(node_attrs(pending))))
				walk_record(pending, rec, path + ".", depth + 1)
				rec.shape.append("%s}" % ind)
			pending = None
		elif k == "IndirectFieldDecl" or k.endswith("Attr") or \
		     k.endswith("Comment"):
			continue
		else:
			rec.shape.append("%s?? %s" % (ind, k))


def collect(ast_nodes):
	"""Sort the header's declarations into records, enums and the rest."""
	records, enums, typedefs, other = {}, [], {}, []
	queue = list(ast_nodes)
	while queue:
		n = queue.pop(0)
		k = n["kind"]
		if k == "RecordDecl":
			if not n.get("completeDefinition"):
				other.append("forward %s %s" % (n["tagUsed"],
								n.get("name")))
				continue
			if not n.get("name"):
				# file-scope unnamed struct with no declarator:
				# nothing userspace can name, but report it
				other.append("unnamed top-level %s" % n["tagUsed"])
				continue
			rec = Record(n["tagUsed"], n["name"])
			rec.nested = []
			rec.shape.append("attrs: %s" % " ".join(node_attrs(n)))
			walk_record(n, rec, "", 1)
			records[n["name"]] = rec
			queue.extend(rec.nested)
		elif k == "EnumDecl":
			consts = []
			for c in n.get("inner", []):
				if c["kind"] == "EnumConstantDecl":
					consts.append(c["name"])
			fixed = n.get("fixedUnderlyingType", {}).get("qualType")
			enums.append(dict(name=n.get("name"), consts=consts,
					  fixed=fixed))
		elif k == "TypedefDecl":
			typedefs[n["name"]] = tname(n.get("type", {}))
		else:
			other.append("%s %s" % (k, n.get("name")))
	return records, enums, typedefs, other


def enum_key(e):
	if e["name"]:
		return "enum " + e["name"]
	return "anonymous enum {%s, ...}" % (e["consts"][0] if e["consts"]
					     else "")


# --------------------------------------------------------------- generator

def c_str(s):
	return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rewrite_ref_body(body, ref_macros, renames):
	"""Point a reference macro body at the renamed reference world."""
	def sub(m):
		w = m.group(0)
		if w in ref_macros:
			return REF_MACRO + w
		if w in renames:
			return REF_TAG + w
		return w
	# leave string and character literals alone
	parts = re.split(r"(\"(?:\\.|[^\"])*\"|'(?:\\.|[^'])*')", body)
	return "".join(p if i % 2 else IDENT.sub(sub, p)
		       for i, p in enumerate(parts))


def ref_path(path, renames):
	return ".".join(REF_TAG + p if p in renames else p
			for p in path.split("."))


def main():
	ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	ap.add_argument("reference")
	ap.add_argument("new")
	ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
	ap.add_argument("--clang", default="clang")
	ap.add_argument("--cflags", default="",
			help="target flags for both compilers, e.g. -m32")
	ap.add_argument("--clang-cflags", default=None,
			help="flags for clang if they differ from --cflags")
	ap.add_argument("--no-run", action="store_true",
			help="do not run the run-time checks (cross targets)")
	ap.add_argument("--keep", help="write the generated C file here")
	ap.add_argument("-v", "--verbose", action="store_true")
	args = ap.parse_args()

	cflags = shlex.split(args.cflags)
	clflags = shlex.split(args.clang_cflags) if args.clang_cflags is not None \
		else cflags
	ref = os.path.abspath(args.reference)
	new = os.path.abspath(args.new)
	errors = []

	def err(msg):
		errors.append(msg)
		print("  FAIL: " + msg)

	# -- includes and guards
	ref_incs, new_incs = header_includes(ref), header_includes(new)
	if sorted(set(ref_incs)) != sorted(set(new_incs)):
		err("#include sets differ: reference %s, new %s" %
		    (ref_incs, new_incs))
	prelude = "".join("#include %s\n" % i
			  for i in ref_incs + [i for i in new_incs
					       if i not in ref_incs])
	prelude += "#include <stddef.h>\n"
	ref_guard, new_guard = include_guard(ref), include_guard(new)
	if ref_guard != new_guard:
		print("  note: include guards differ: %s vs %s" %
		      (ref_guard, new_guard))

	with tempfile.TemporaryDirectory(prefix="abicheck.") as wd:
		# -- macros
		ref_m, ref_undef = header_macros(args.cc, cflags, prelude, ref, wd)
		new_m, new_undef = header_macros(args.cc, cflags, prelude, new, wd)
		for u in ref_undef + new_undef:
			err("#undef %s in a header is not handled" % u)
		for g in (ref_guard, new_guard):
			ref_m.pop(g, None)
			new_m.pop(g, None)
		for name in sorted(set(ref_m) - set(new_m)):
			err("macro %s missing from new header" % name)
		for name in sorted(set(new_m) - set(ref_m)):
			err("macro %s not in reference header" % name)
		common_m = sorted(set(ref_m) & set(new_m))

		# -- declarations
		ref_ast = clang_ast(args.clang, clflags, prelude, ref, wd)
		new_ast = clang_ast(args.clang, clflags, prelude, new, wd)
		ref_r, ref_e, ref_t, ref_o = collect(ref_ast)
		new_r, new_e, new_t, new_o = collect(new_ast)

		for o in ref_o + new_o:
			err("declaration not handled by the checker: %s" % o)

		for name in sorted(set(ref_r) - set(new_r)):
			err("%s %s missing from new header" %
			    (ref_r[name].tag, name))
		for name in sorted(set(new_r) - set(ref_r)):
			err("%s %s not in reference header" %
			    (new_r[name].tag, name))
		common_r = sorted(set(ref_r) & set(new_r))
		if args.verbose:
			for name in common_r:
				print("  %s %s" % (new_r[name].tag, name))
				for line in new_r[name].shape:
					print("    " + line)
			for e in new_e:
				print("  %s: %s" % (enum_key(e),
						    " ".join(e["consts"])))
		for name in common_r:
			a, b = ref_r[name], new_r[name]
			if a.tag != b.tag:
				err("%s is a %s in reference, a %s in new" %
				    (name, a.tag, b.tag))
				continue
			if a.shape != b.shape:
				import difflib
				d = "\n".join(difflib.unified_diff(
					a.shape, b.shape, "reference", "new",
					lineterm="", n=2))
				err("%s %s: member layout/types differ:\n%s" %
				    (a.tag, name, d))

		ref_ek = {enum_key(e): e for e in ref_e}
		new_ek = {enum_key(e): e for e in new_e}
		for k in sorted(set(ref_ek) - set(new_ek)):
			err("%s missing from new header" % k)
		for k in sorted(set(new_ek) - set(ref_ek)):
			err("%s not in reference header" % k)
		for k in sorted(set(ref_ek) & set(new_ek)):
			if ref_ek[k]["consts"] != new_ek[k]["consts"]:
				err("%s: constants differ: %s vs %s" %
				    (k, ref_ek[k]["consts"], new_ek[k]["consts"]))
			if ref_ek[k]["fixed"] != new_ek[k]["fixed"]:
				err("%s: underlying type differs" % k)
		ref_c = {c for e in ref_e for c in e["consts"]}
		new_c = {c for e in new_e for c in e["consts"]}
		for c in sorted(ref_c - new_c):
			err("enum constant %s missing from new header" % c)
		for c in sorted(new_c - ref_c):
			err("enum constant %s not in reference header" % c)
		common_c = sorted(ref_c & new_c)

		for name in sorted(set(ref_t) ^ set(new_t)):
			err("typedef %s only in one header" % name)
		for name in sorted(set(ref_t) & set(new_t)):
			if ref_t[name] != new_t[name]:
				err("typedef %s: %s vs %s" %
				    (name, ref_t[name], new_t[name]))

		# -- the C file
		renames = set(ref_r) | set(ref_t) | ref_c | \
			{e["name"] for e in ref_e if e["name"]}
		ref_tags = set(ref_r) | {e["name"] for e in ref_e if e["name"]}
		out = []
		w = out.append
		w("/* generated by uapi-abicheck.py: %s vs %s */" % (ref, new))
		w(prelude)
		w("#include <string.h>" if not args.no_run else "")
		w("/* the reference header, every name it declares renamed */")
		for r in sorted(renames):
			w("#define %s %s%s" % (r, REF_TAG, r))
		w('#include "%s"' % ref)
		for r in sorted(renames):
			w("#undef %s" % r)
		for g in {ref_guard, new_guard} - {None}:
			w("#undef %s" % g)
		w("/* its macros, #undef'd and kept under new names */")
		for name in sorted(ref_m):
			w("#undef %s" % name)
		for name in sorted(ref_m):
			params, body = ref_m[name]
			body = rewrite_ref_body(body, ref_m, renames)
			if params is None:
				w("#define %s%s %s" % (REF_MACRO, name, body))
			else:
				w("#define %s%s(%s) %s" % (REF_MACRO, name,
							   ", ".join(params), body))
		w("/* the new header */")
		w('#include "%s"' % new)
		w("")
		w("#define TYPES_EQ(a, b) __builtin_types_compatible_p(a, b)")
		w("#define ASSERT(c, what) _Static_assert(c, what)")
		w("")

		n_static = 0
		runtime = []

		def sa(cond, what):
			nonlocal n_static
			w("ASSERT(%s, %s);" % (cond, c_str(what)))
			n_static += 1

		# macros: values and types; non-expressions by tokens
		n_macro_expr = 0
		exprs = []
		for name in common_m:
			(rp, rb), (np_, nb) = ref_m[name], new_m[name]
			if rp is not None or np_ is not None:
				if rp != np_ or norm_tokens(rb) != norm_tokens(nb):
					err("function-like macro %s differs: "
					    "(%s) %s vs (%s) %s" %
					    (name, rp, rb, np_, nb))
				continue
			if not rb or not nb:
				if bool(rb) != bool(nb):
					err("macro %s empty in one header only" %
					    name)
				continue
			exprs.append(name)
		# find out which bodies are integer constant expressions
		probe = os.path.join(wd, "probe.c")
		with open(probe, "w") as f:
			f.write("\n".join(out) + "\n")
			first = len(out) + 2
			for name in exprs:
				f.write("ASSERT((%s%s) == (%s) || 1, \"\");\n" %
					(REF_MACRO, name, name))
		r = run([args.cc] + cflags + ["-std=gnu11", "-fsyntax-only",
					      "-w", probe])
		bad = set()
		for m in re.finditer(r"probe\.c:(\d+):\d+: error", r.stderr):
			i = int(m.group(1)) - first
			if 0 <= i < len(exprs):
				bad.add(exprs[i])
			else:
				raise Fail("generated prologue does not compile:\n"
					   + r.stderr)
		for name in exprs:
			if name in bad:
				if norm_tokens(ref_m[name][1]) != \
				   norm_tokens(new_m[name][1]):
					err("macro %s (not an integer expression) "
					    "differs: %s vs %s" %
					    (name, ref_m[name][1], new_m[name][1]))
				continue
			w("/* %s */" % name)
			sa("(%s%s) == (%s)" % (REF_MACRO, name, name),
			   "value of macro " + name)
			sa("TYPES_EQ(__typeof__(%s%s), __typeof__(%s))" %
			   (REF_MACRO, name, name), "type of macro " + name)
			n_macro_expr += 1

		# enum constants and enum types
		for c in common_c:
			sa("%s%s == %s" % (REF_TAG, c, c), "enum constant " + c)
			sa("sizeof(%s%s) == sizeof(%s)" % (REF_TAG, c, c),
			   "type size of enum constant " + c)
		n_enum_types = 0
		for k in sorted(set(ref_ek) & set(new_ek)):
			e = ref_ek[k]
			if not e["name"]:
				continue
			a = "enum %s%s" % (REF_TAG, e["name"])
			b = "enum %s" % e["name"]
			sa("sizeof(%s) == sizeof(%s)" % (a, b), "size of " + b)
			sa("_Alignof(%s) == _Alignof(%s)" % (a, b),
			   "alignment of " + b)
			sa("((%s)-1 < 0) == ((%s)-1 < 0)" % (a, b),
			   "signedness of " + b)
			n_enum_types += 1

		# records
		n_members = 0
		bitfields = 0
		for name in common_r:
			ra, rb_ = ref_r[name], new_r[name]
			a = "%s %s%s" % (ra.tag, REF_TAG, name)
			b = "%s %s" % (rb_.tag, name)
			sa("sizeof(%s) == sizeof(%s)" % (a, b), "size of " + b)
			sa("_Alignof(%s) == _Alignof(%s)" % (a, b),
			   "alignment of " + b)
			new_members = {m["path"]: m for m in rb_.members}
			for m in ra.members:
				p = m["path"]
				if p not in new_members:
					continue	# already reported by shape
				nm = new_members[p]
				n_members += 1
				ap_ = ref_path(p, renames)
				ma = "((%s *)0)->%s" % (a, ap_)
				mb = "((%s *)0)->%s" % (b, p)
				what = "%s.%s" % (b, p)
				if m["bits"] is not None or nm["bits"] is not None:
					bitfields += 1
					runtime.append((a, b, ap_, p, what))
					continue
				sa("offsetof(%s, %s) == offsetof(%s, %s)" %
				   (a, ap_, b, p), "offset of " + what)
				flex = m["canon"].endswith("[]") or \
					nm["canon"].endswith("[]")
				if not flex:
					sa("sizeof(%s) == sizeof(%s)" % (ma, mb),
					   "size of " + what)
				else:
					# no sizeof for a flexible array: its
					# element size must match instead
					ma, mb = "(%s)[0]" % ma, "(%s)[0]" % mb
					sa("sizeof(%s) == sizeof(%s)" % (ma, mb),
					   "element size of " + what)
				sa("_Alignof(__typeof__(%s)) == "
				   "_Alignof(__typeof__(%s))" % (ma, mb),
				   "alignment of " + what)
				# types naming the header's own tags are compared
				# as strings (shape); others by the compiler
				names = set(IDENT.findall(m["canon"]))
				if not names & ref_tags and "<anon>" not in \
				   m["canon"]:
					sa("TYPES_EQ(__typeof__(%s), __typeof__(%s))"
					   % (ma, mb), "type of " + what)

		if runtime and args.no_run:
			print("  note: %d bitfield checks not run (--no-run); "
			      "shapes and widths were still compared" %
			      len(runtime))
			w("int __abi_check_dummy;")
		elif runtime:
			w("")
			w("#include <stdio.h>")
			w("int main(void)\n{\n\tint bad = 0;")
			for a, b, ap_, p, what in runtime:
				w("\t{")
				w("\t\t%s x; %s y;" % (a, b))
				w("\t\tmemset(&x, 0, sizeof(x));")
				w("\t\tmemset(&y, 0, sizeof(y));")
				w("\t\tx.%s = -1; y.%s = -1;" % (ap_, p))
				w("\t\tif (sizeof(x) != sizeof(y) ||")
				w("\t\t    memcmp(&x, &y, sizeof(x)) ||")
				w("\t\t    (long long)x.%s != (long long)y.%s) {" %
				  (ap_, p))
				w('\t\t\tprintf("  FAIL: bitfield %%s\\n", %s);' %
				  c_str(what))
				w("\t\t\tbad = 1;")
				w("\t\t}")
				w("\t}")
			w("\treturn bad;\n}")
		else:
			w("int __abi_check_dummy;")

		text = "\n".join(out) + "\n"
		src = os.path.join(wd, "abicheck.c")
		with open(src, "w") as f:
			f.write(text)
		if args.keep:
			with open(args.keep, "w") as f:
				f.write(text)

		exe = os.path.join(wd, "abicheck")
		mode = ["-fsyntax-only"] if not runtime or args.no_run \
			else ["-o", exe]
		r = run([args.cc] + cflags + ["-std=gnu11", "-Wno-overflow",
					      "-fmax-errors=0"] + mode + [src])
		if r.returncode:
			fails = re.findall(r"static assertion failed: \"([^\"]*)\"|"
					   r"static_assert failed (?:due to requirement .*? )?\"([^\"]*)\"",
					   r.stderr)
			if fails:
				for f1, f2 in fails:
					err(f1 or f2)
			else:
				err("generated checker does not compile:\n" +
				    r.stderr)
		elif runtime and not args.no_run:
			r = run([exe])
			sys.stdout.write(r.stdout)
			if r.returncode:
				errors.append("bitfield run-time check")

	print("  %d macros (%d integer-valued), %d enum constants, "
	      "%d named enums, %d structs/unions, %d members "
	      "(%d bitfields), %d static assertions" %
	      (len(common_m), n_macro_expr, len(common_c), n_enum_types,
	       len(common_r), n_members, bitfields, n_static))
	if errors:
		print("  RESULT: FAIL (%d problems)" % len(errors))
		return 1
	print("  RESULT: PASS")
	return 0


if __name__ == "__main__":
	try:
		sys.exit(main())
	except Fail as e:
		print("  FAIL: %s" % e)
		print("  RESULT: FAIL")
		sys.exit(2)
