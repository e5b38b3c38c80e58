"""PersonaAct's trainer: SFT then GRPO (LoRA) for a vision-language persona policy, and its evaluation."""
__version__ = "0.1.0"
