"""Directions and tasks (theo dõi nhiệm vụ): what leaders assign, to whom, by when, and whether it gets done."""
