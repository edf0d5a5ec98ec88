      - targets: ['__name__:__port__']
        labels: { service: __name__ }
