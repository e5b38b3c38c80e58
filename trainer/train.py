"""SageMaker's `entry_point` when the estimator's `source_dir` is trainer/: see personaact_trainer/sagemaker_entry.py."""
import sys

from personaact_trainer.sagemaker_entry import main

sys.exit(main())
