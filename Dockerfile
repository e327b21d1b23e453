# syntax=docker/dockerfile:1
# CallWaiting TTS: the `callwaiting` CLI serving the API (see README, "Deploy").
#   docker build -t callwaiting .                      the CPU image (the last stage)
#   docker build --target gpu -t callwaiting:gpu .     neural voices on an NVIDIA GPU (CUDA 13, cuDNN 9)

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The server's build copies its browser files (Chart.js) from npm packages (src/CallWaiting.Server/Web/package.json).
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Project files first, so the restore layer survives edits to the sources.
COPY global.json Directory.Build.props ./
COPY src/CallWaiting.Speech/CallWaiting.Speech.csproj src/CallWaiting.Speech/
COPY src/CallWaiting.Server/CallWaiting.Server.csproj src/CallWaiting.Server/
COPY src/CallWaiting.EngineWorker/CallWaiting.EngineWorker.csproj src/CallWaiting.EngineWorker/
COPY src/CallWaiting.Cli/CallWaiting.Cli.csproj src/CallWaiting.Cli/
RUN dotnet restore src/CallWaiting.Cli/CallWaiting.Cli.csproj -r linux-x64
COPY src/ src/
RUN dotnet publish src/CallWaiting.Cli/CallWaiting.Cli.csproj -c Release -r linux-x64 --self-contained false --no-restore -o /app

# The same sources with ONNX Runtime's CUDA build in place of its CPU build (the only difference; same API).
FROM build AS build-gpu
RUN dotnet publish src/CallWaiting.Cli/CallWaiting.Cli.csproj -c Release -r linux-x64 --self-contained false -p:OnnxRuntimeGpu=true -o /app-gpu

# Microsoft ships no Debian image for .NET 10, so the ASP.NET Core runtime is copied from its image onto Debian
# bookworm-slim: the native libraries below are bookworm's packages (libflac12, libicu72), the same ones
# scripts/ensure-deps.sh installs for `./callwaiting serve`.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS dotnet

FROM debian:bookworm-slim AS base
# ca-certificates, libssl3 and tzdata are what .NET itself needs (its runtime-deps image); the rest is ensure-deps.sh's runtime list.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3 tzdata \
      libflite1 libespeak-ng1 espeak-ng-data libmp3lame0 libsoxr0 libopus0 libflac12 libsonic0 libicu72 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && groupadd --system --gid 10001 callwaiting \
 && useradd --system --uid 10001 --gid callwaiting --home-dir /var/lib/callwaiting --shell /usr/sbin/nologin callwaiting \
 && mkdir -p /var/lib/callwaiting/data /var/lib/callwaiting/models \
 && chown -R callwaiting:callwaiting /var/lib/callwaiting

# DOTNET_GCgen0size: as ./callwaiting sets it (a huge reported L3 otherwise keeps 60+ MB of garbage between collections).
ENV DOTNET_ROOT=/usr/share/dotnet \
    DOTNET_GCgen0size=0x1000000 \
    DOTNET_NOLOGO=1 \
    CALLWAITING_DATA_DIR=/var/lib/callwaiting/data \
    CALLWAITING_MODELS_DIR=/var/lib/callwaiting/models
VOLUME ["/var/lib/callwaiting/data", "/var/lib/callwaiting/models"]
WORKDIR /var/lib/callwaiting
USER callwaiting:callwaiting
EXPOSE 8004
# No curl in the image: bash's /dev/tcp asks /ready (200 only once engines are warm and the database and Redis answer).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8004 && printf 'GET /ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/opt/callwaiting/callwaiting"]
CMD ["serve", "--urls", "http://0.0.0.0:8004"]

# The GPU image: the CUDA 13 and cuDNN 9 runtime libraries that ONNX Runtime 1.32's CUDA provider links against
# (libcudart.so.13, libcublas(Lt).so.13, libcurand.so.10; cuDNN and cuFFT it opens when a graph needs them), from
# NVIDIA's Debian 12 repository. The host needs the NVIDIA driver (580 or newer for CUDA 13) and container toolkit.
# Without a usable GPU the server says why at start-up and runs the models on the CPU.
FROM base AS gpu
USER root
ADD https://developer.download.nvidia.com/compute/cuda/repos/debian12/x86_64/cuda-keyring_1.1-1_all.deb /tmp/cuda-keyring.deb
RUN dpkg -i /tmp/cuda-keyring.deb && rm /tmp/cuda-keyring.deb \
 && apt-get update \
 && apt-get install -y --no-install-recommends cuda-cudart-13-0 libcublas-13-0 libcufft-13-0 libcurand-13-0 libcudnn9-cuda-13 \
 && rm -rf /var/lib/apt/lists/*
USER callwaiting:callwaiting
COPY --from=build-gpu /app-gpu /opt/callwaiting
ENV CALLWAITING_Onnx__Provider=cuda \
    LD_LIBRARY_PATH=/usr/local/cuda-13.0/targets/x86_64-linux/lib \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility

# The default image: last, so a plain `docker build` makes it.
FROM base
COPY --from=build /app /opt/callwaiting
