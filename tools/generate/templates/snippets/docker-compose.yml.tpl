  __name__:
    <<: *service
    build:
      context: .
      dockerfile: deploy/Dockerfile
      args:
        SERVICE: __name__
    image: vista-__name__:local
    environment:
      <<: *service-env
      HTTP_PORT: '__port__'
    healthcheck:
      test: ['CMD', 'node', 'deploy/healthcheck.mjs', 'ready']
      interval: 5s
      timeout: 5s
      start_period: 60s
      retries: 12

