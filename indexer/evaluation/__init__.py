"""Relevance measured on real text: Universal Dependencies treebanks (`polyfind eval --ud`).

`ud` reads CoNLL-U files and cuts them into tune and report splits, `conflation` scores how
each system's stems group a lemma's written forms, `retrieval` finds documents by queries
typed in other inflected forms, `suite` runs both and prints the tables.
"""
