from vanphong.cli import main

raise SystemExit(main())
