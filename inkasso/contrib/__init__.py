"""Ready-made integrations of django-inkasso with shop frameworks."""
