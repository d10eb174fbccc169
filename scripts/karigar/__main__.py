from karigar.cli import main

raise SystemExit(main())
