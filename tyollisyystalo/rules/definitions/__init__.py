"""One module per statutory rule; each exposes a pure ``evaluate(facts, on) -> Evaluation``."""
