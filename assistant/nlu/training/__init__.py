"""Building the intent model from labelled data: splits, features, training, evaluation.

Only used to (re)build the shipped artefact and by the benchmarks; the assistant itself loads
the artefact (assistant/nlu/intent_model.py) and never imports this package.
"""
