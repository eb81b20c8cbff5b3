"""The original (seed) segmentation pipeline, re-created on PyTorch CPU as the speed reference for
`npm run bench compare`."""
