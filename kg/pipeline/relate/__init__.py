"""Relation rules: each module reads mentions and sentences and writes :class:`kg.model.Fact` s."""
