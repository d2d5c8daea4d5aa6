"""A package whose models, losses and training loops live in different files: the CLI follows the
imports between them. `# expect: rule` marks where each finding is reported (the loss's line)."""
