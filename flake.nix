{
  description = "LLM rate limiter: dev shell with Node.js 20 and TigerBeetle";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils }:
    flake-utils.lib.eachDefaultSystem (system:
      let
        pkgs = import nixpkgs { inherit system; };
      in
      {
        devShells.default = pkgs.mkShell {
          packages = [ pkgs.nodejs_20 pkgs.tigerbeetle ];
          # The real-cluster tests and the simulator's real-cluster pass run only when TB_BIN
          # names a tigerbeetle binary; this shell always provides one.
          shellHook = ''
            export TB_BIN="${pkgs.tigerbeetle}/bin/tigerbeetle"
            echo "TB_BIN=$TB_BIN ($("$TB_BIN" version 2>/dev/null | head -n 1))"
          '';
        };
      });
}
