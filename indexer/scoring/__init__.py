"""The scoring core of the search service: term-at-a-time BM25F over Whoosh's postings.

A polyfind query has many term leaves per word (views x title/body x languages). Whoosh's
matcher tree scores them document at a time, with several Python calls per posting per
level of the tree; here each posting list is read once, block by block, scored as one
numpy array and added into a dense per-document accumulator. The scores are Whoosh's own
BM25F (same idf, field lengths and formula; the sum over an Or's leaves), so rankings are
unchanged, and in the same pass each document's count of matched query words falls out,
for coverage, totals and facets.

- postings: segment postings and term arrays, deletion masks, field lengths, the
  generation's shared cache.
- bm25f: the formula, numbers in, score out.
- phrases: which candidate documents have a phrase's words side by side.
- terms: what is scored, the weighted terms and phrases a plan is made of.
- clauses: a plan's clauses scored into one accumulator, traced for explanations (and
  cost estimates, exclusions, the top documents).
"""
