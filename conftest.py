"""Root test configuration: personas and factories come from vanphong.testing."""

pytest_plugins = ["vanphong.testing"]
