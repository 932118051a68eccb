"""The extraction pipeline: read → normalise → segment → recognise → relate → link → graph.

Each stage is a small class or function in its own module with typed inputs and outputs
(:mod:`kg.model`). :class:`kg.pipeline.builder.Builder` wires them together.
"""
