"""Files in, validated columns out: one module per format over one shared layer.

:mod:`~dxe_eval.read.raw` holds what every reader shares (rows as text, the value
objects of a read, decoding, headers); :mod:`~dxe_eval.read.csv`,
:mod:`~dxe_eval.read.jsonl`, :mod:`~dxe_eval.read.xlsx` and
:mod:`~dxe_eval.read.frames` turn a file or records into rows;
:mod:`~dxe_eval.read.validate` turns rows into typed columns, every row accepted or
rejected; :mod:`~dxe_eval.read.dataset` reads a folder, a workbook or records in
memory through the readers. Nothing here imports above the base layer.
"""
