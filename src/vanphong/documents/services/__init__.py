"""Every write to documents goes through these functions: one transaction, one audit entry each.

``incoming``: register, present, direct, hand to a specialist, progress, opinions, complete, return.
``outgoing``: draft, review circuit, sign, number and issue, dispatch, recall.
``numbering``: arrival numbers and issue numbers, never duplicated and never skipped.
``files``: storing uploaded files by content, extracting their text, the arrival stamp.
"""
